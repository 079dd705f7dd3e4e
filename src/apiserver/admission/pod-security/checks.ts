/**
 * The Pod Security Standards checks (upstream staging/src/k8s.io/pod-security-admission/
 * policy): each looks at a pod's metadata and spec and either passes or names what is
 * forbidden. Checks are evaluated in upstream's order, which is the order of the message.
 */

type SecurityContext = {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  procMount?: string;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: { type?: string };
  appArmorProfile?: { type?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: { name: string }[];
};

export interface Container {
  name?: string;
  ports?: { hostPort?: number }[];
  securityContext?: SecurityContext;
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: ({ name: string } & Record<string, unknown>)[];
}

export interface PodMeta {
  annotations?: Record<string, string>;
}

export interface Violation {
  reason: string;
  detail: string;
}

export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** Baseline checks that a restricted check replaces run at baseline only. */
  overridden?: boolean;
  run(meta: PodMeta, spec: PodSpec): Violation | undefined;
}

function containersOf(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function quoted(names: (string | undefined)[]): string {
  return names.map((n) => JSON.stringify(n ?? '')).join(', ');
}

/** `container "a"` or `containers "a", "b"`. */
function containersPhrase(names: (string | undefined)[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);

const RESTRICTED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorProfile: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  run(meta, spec) {
    const bad: string[] = [];
    const badType = (t: string | undefined) => t !== undefined && t !== 'RuntimeDefault' && t !== 'Localhost';
    if (badType(spec.securityContext?.appArmorProfile?.type)) bad.push(`pod must not set securityContext.appArmorProfile.type to ${JSON.stringify(spec.securityContext!.appArmorProfile!.type)}`);
    for (const c of containersOf(spec)) {
      const t = c.securityContext?.appArmorProfile?.type;
      if (badType(t)) bad.push(`container ${JSON.stringify(c.name)} must not set securityContext.appArmorProfile.type to ${JSON.stringify(t)}`);
    }
    for (const [k, v] of Object.entries(meta.annotations ?? {})) {
      if (!k.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
      if (v !== 'runtime/default' && !v.startsWith('localhost/') && v !== '') bad.push(`${k}=${JSON.stringify(v)}`);
    }
    if (!bad.length) return undefined;
    return { reason: bad.length === 1 ? 'forbidden AppArmor profile' : 'forbidden AppArmor profiles', detail: bad.join(', ') };
  },
};

const capabilitiesBaseline: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  overridden: true,
  run(_meta, spec) {
    const byCap = new Map<string, string[]>();
    for (const c of containersOf(spec)) {
      for (const cap of c.securityContext?.capabilities?.add ?? []) {
        if (BASELINE_CAPABILITIES.has(cap)) continue;
        const names = byCap.get(cap) ?? [];
        if (!names.includes(c.name ?? '')) names.push(c.name ?? '');
        byCap.set(cap, names);
      }
    }
    if (!byCap.size) return undefined;
    const caps = [...byCap.keys()];
    const names = [...new Set(caps.flatMap((k) => byCap.get(k)!))];
    return {
      reason: 'non-default capabilities',
      detail: `${containersPhrase(names)} must not include ${quoted(caps)} in securityContext.capabilities.add`,
    };
  },
};

const hostNamespaces: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  run(_meta, spec) {
    const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
    return set.length ? { reason: 'host namespaces', detail: set.join(', ') } : undefined;
  },
};

const hostPathVolumes: Check = {
  id: 'hostPathVolumes',
  level: 'baseline',
  overridden: true,
  run(_meta, spec) {
    const names = (spec.volumes ?? []).filter((v) => v.hostPath !== undefined).map((v) => v.name);
    if (!names.length) return undefined;
    return { reason: 'hostPath volumes', detail: `${names.length === 1 ? 'volume' : 'volumes'} ${quoted(names)}` };
  },
};

const hostPorts: Check = {
  id: 'hostPorts',
  level: 'baseline',
  run(_meta, spec) {
    const names: string[] = [];
    const ports: string[] = [];
    for (const c of containersOf(spec)) {
      const own = (c.ports ?? []).map((p) => p.hostPort ?? 0).filter((p) => p !== 0);
      if (!own.length) continue;
      names.push(c.name ?? '');
      for (const p of own) if (!ports.includes(String(p))) ports.push(String(p));
    }
    if (!names.length) return undefined;
    const verb = names.length === 1 ? 'uses' : 'use';
    return { reason: 'hostPort', detail: `${containersPhrase(names)} ${verb} ${ports.length === 1 ? 'hostPort' : 'hostPorts'} ${ports.join(', ')}` };
  },
};

const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  run(_meta, spec) {
    const names = containersOf(spec).filter((c) => c.securityContext?.privileged === true).map((c) => c.name);
    return names.length ? { reason: 'privileged', detail: `${containersPhrase(names)} must not set securityContext.privileged=true` } : undefined;
  },
};

const procMount: Check = {
  id: 'procMount',
  level: 'baseline',
  run(_meta, spec) {
    const bad = containersOf(spec).filter((c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== 'Default');
    if (!bad.length) return undefined;
    const values = [...new Set(bad.map((c) => c.securityContext!.procMount!))];
    return { reason: 'procMount', detail: `${containersPhrase(bad.map((c) => c.name))} must not set securityContext.procMount to ${quoted(values)}` };
  },
};

const seccompBaseline: Check = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  overridden: true,
  run(_meta, spec) {
    const bad: string[] = [];
    if (spec.securityContext?.seccompProfile?.type === 'Unconfined') bad.push('pod');
    const names = containersOf(spec).filter((c) => c.securityContext?.seccompProfile?.type === 'Unconfined').map((c) => c.name);
    if (names.length) bad.push(containersPhrase(names));
    if (!bad.length) return undefined;
    return { reason: 'seccompProfile', detail: `${bad.join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"` };
  },
};

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const seLinuxOptions: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  run(_meta, spec) {
    const setters: string[] = [];
    const badTypes = new Set<string>();
    let user = false;
    let role = false;
    const visit = (o: SecurityContext['seLinuxOptions'], who: string) => {
      if (!o) return;
      let bad = false;
      if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) {
        badTypes.add(o.type);
        bad = true;
      }
      if (o.user) user = bad = true;
      if (o.role) role = bad = true;
      if (bad) setters.push(who);
    };
    visit(spec.securityContext?.seLinuxOptions, 'pod');
    const names = containersOf(spec).filter((c) => {
      const before = setters.length;
      visit(c.securityContext?.seLinuxOptions, 'c');
      return setters.length > before && setters.pop() !== undefined;
    }).map((c) => c.name);
    if (names.length) setters.push(containersPhrase(names));
    if (!setters.length) return undefined;
    const what: string[] = [];
    if (badTypes.size) what.push(`${badTypes.size === 1 ? 'type' : 'types'} ${quoted([...badTypes])}`);
    if (user) what.push('user may not be set');
    if (role) what.push('role may not be set');
    return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${what.join('; ')}` };
  },
};

const sysctls: Check = {
  id: 'sysctls',
  level: 'baseline',
  run(_meta, spec) {
    const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n));
    return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
  },
};

const windowsHostProcess: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  run(_meta, spec) {
    const pod = spec.securityContext?.windowsOptions?.hostProcess === true;
    const names = containersOf(spec).filter((c) => c.securityContext?.windowsOptions?.hostProcess === true).map((c) => c.name);
    if (!pod && !names.length) return undefined;
    const who = [pod ? 'pod' : '', names.length ? containersPhrase(names) : ''].filter(Boolean).join(' and ');
    return { reason: 'hostProcess', detail: `${who} must not set securityContext.windowsOptions.hostProcess=true` };
  },
};

const allowPrivilegeEscalation: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  run(_meta, spec) {
    const names = containersOf(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
    return names.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(names)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
  },
};

const capabilitiesRestricted: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  run(_meta, spec) {
    const notDropping: (string | undefined)[] = [];
    const adding: (string | undefined)[] = [];
    const caps: string[] = [];
    for (const c of containersOf(spec)) {
      if (!(c.securityContext?.capabilities?.drop ?? []).includes('ALL')) notDropping.push(c.name);
      const extra = (c.securityContext?.capabilities?.add ?? []).filter((k) => k !== 'NET_BIND_SERVICE');
      if (extra.length) {
        adding.push(c.name);
        for (const k of extra) if (!caps.includes(k)) caps.push(k);
      }
    }
    const details: string[] = [];
    if (notDropping.length) details.push(`${containersPhrase(notDropping)} must set securityContext.capabilities.drop=["ALL"]`);
    if (adding.length) details.push(`${containersPhrase(adding)} must not include ${quoted(caps)} in securityContext.capabilities.add`);
    return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
  },
};

const restrictedVolumes: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  run(_meta, spec) {
    const names: string[] = [];
    const types: string[] = [];
    for (const v of spec.volumes ?? []) {
      const source = Object.keys(v).find((k) => k !== 'name');
      if (!source || RESTRICTED_VOLUME_SOURCES.has(source)) continue;
      names.push(v.name);
      if (!types.includes(source)) types.push(source);
    }
    if (!names.length) return undefined;
    const one = names.length === 1;
    return {
      reason: 'restricted volume types',
      detail: `${one ? 'volume' : 'volumes'} ${quoted(names)} ${one ? 'uses' : 'use'} ${types.length === 1 ? 'restricted volume type' : 'restricted volume types'} ${quoted(types)}`,
    };
  },
};

const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  run(_meta, spec) {
    const podValue = spec.securityContext?.runAsNonRoot;
    const explicitFalse: (string | undefined)[] = [];
    const unset: (string | undefined)[] = [];
    for (const c of containersOf(spec)) {
      const v = c.securityContext?.runAsNonRoot;
      if (v === false) explicitFalse.push(c.name);
      else if (v === undefined && podValue !== true) unset.push(c.name);
    }
    const details: string[] = [];
    if (podValue === false) details.push('pod must not set securityContext.runAsNonRoot=false');
    if (explicitFalse.length) details.push(`${containersPhrase(explicitFalse)} must not set securityContext.runAsNonRoot=false`);
    if (unset.length && podValue !== false) {
      details.push(`pod or ${containersPhrase(unset)} must set securityContext.runAsNonRoot=true`);
    }
    return details.length ? { reason: 'runAsNonRoot != true', detail: details.join('; ') } : undefined;
  },
};

const runAsUser: Check = {
  id: 'runAsUser',
  level: 'restricted',
  run(_meta, spec) {
    const who: string[] = [];
    if (spec.securityContext?.runAsUser === 0) who.push('pod');
    const names = containersOf(spec).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
    if (names.length) who.push(containersPhrase(names));
    return who.length ? { reason: 'runAsUser=0', detail: `${who.join(' and ')} must not set runAsUser=0` } : undefined;
  },
};

const seccompRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  run(_meta, spec) {
    const ok = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
    const podType = spec.securityContext?.seccompProfile?.type;
    const badSetters: string[] = [];
    const badValues: string[] = [];
    if (podType !== undefined && !ok(podType)) {
      badSetters.push('pod');
      badValues.push(podType);
    }
    const badNames: (string | undefined)[] = [];
    const unset: (string | undefined)[] = [];
    for (const c of containersOf(spec)) {
      const t = c.securityContext?.seccompProfile?.type;
      if (t !== undefined && !ok(t)) {
        badNames.push(c.name);
        if (!badValues.includes(t)) badValues.push(t);
      } else if (t === undefined && !ok(podType)) unset.push(c.name);
    }
    if (badNames.length) badSetters.push(containersPhrase(badNames));
    const details: string[] = [];
    if (badSetters.length) details.push(`${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${quoted(badValues)}`);
    if (unset.length && podType === undefined) {
      details.push(`pod or ${containersPhrase(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    }
    return details.length ? { reason: 'seccompProfile', detail: details.join('; ') } : undefined;
  },
};

/** Upstream's DefaultChecks, in its order. */
export const CHECKS: Check[] = [
  appArmorProfile, capabilitiesBaseline, hostNamespaces, hostPathVolumes, hostPorts, privileged, procMount,
  seccompBaseline, seLinuxOptions, sysctls, windowsHostProcess,
  allowPrivilegeEscalation, capabilitiesRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seccompRestricted,
];

export type Level = 'privileged' | 'baseline' | 'restricted';

/** Evaluates like upstream's checkRegistry: plain baseline checks, then the level's own. */
export function evaluatePod(level: Level, meta: PodMeta, spec: PodSpec): Violation[] {
  if (level === 'privileged') return [];
  const run = (cs: Check[]) => cs.map((c) => c.run(meta, spec)).filter((v): v is Violation => v !== undefined);
  const baseline = CHECKS.filter((c) => c.level === 'baseline');
  const out = run(baseline.filter((c) => !c.overridden));
  if (level === 'baseline') return [...out, ...run(baseline.filter((c) => c.overridden))];
  return [...out, ...run(CHECKS.filter((c) => c.level === 'restricted'))];
}
