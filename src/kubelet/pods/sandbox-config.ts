/** The CRI PodSandboxConfig of a pod (upstream kubelet's generatePodSandboxConfig). */
import type { PodSandboxConfig, PortMapping, Protocol } from '../cri/types.js';
import { CONFIG_SEEN, CONFIG_SOURCE, POD_NAME, POD_NAMESPACE, POD_UID } from './cri-labels.js';
import { podDNSConfig, type ClusterDNS } from './dns.js';
import { podHostname } from './hosts-file.js';
import type { Pod } from './pod-types.js';

export interface SandboxInput {
  pod: Pod;
  attempt: number;
  logDirectory: string;
  cgroupParent: string;
  dns: ClusterDNS;
  seenAt: string;
}

function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as Protocol, container_port: p.containerPort, host_port: p.hostPort, ...(p.hostIP ? { host_ip: p.hostIP } : {}) });
    }
  }
  return out;
}

export function sandboxConfig(i: SandboxInput): PodSandboxConfig {
  const { pod } = i;
  const spec = pod.spec;
  const m = pod.metadata;
  const sc = spec.securityContext ?? {};
  const privileged = [...(spec.initContainers ?? []), ...spec.containers].some((c) => c.securityContext?.privileged);
  return {
    metadata: { name: m.name!, uid: m.uid!, namespace: m.namespace ?? 'default', attempt: i.attempt },
    ...(spec.hostNetwork ? {} : { hostname: podHostname(pod).hostname }),
    log_directory: i.logDirectory,
    dns_config: podDNSConfig(pod, i.dns),
    port_mappings: portMappings(pod),
    labels: { ...(m.labels ?? {}), [POD_NAME]: m.name!, [POD_NAMESPACE]: m.namespace ?? 'default', [POD_UID]: m.uid! },
    annotations: { ...(m.annotations ?? {}), [CONFIG_SOURCE]: 'api', [CONFIG_SEEN]: i.seenAt },
    linux: {
      cgroup_parent: i.cgroupParent,
      sysctls: Object.fromEntries((sc.sysctls ?? []).map((s) => [s.name, s.value])),
      security_context: {
        namespace_options: {
          network: spec.hostNetwork ? 'NODE' : 'POD',
          pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: spec.hostIPC ? 'NODE' : 'POD',
        },
        ...(sc.runAsUser !== undefined ? { run_as_user: { value: String(sc.runAsUser) } } : {}),
        ...(sc.runAsGroup !== undefined ? { run_as_group: { value: String(sc.runAsGroup) } } : {}),
        supplemental_groups: [...(sc.fsGroup !== undefined ? [sc.fsGroup] : []), ...(sc.supplementalGroups ?? [])].map(String),
        privileged,
        ...(sc.seccompProfile ? { seccomp: seccomp(sc.seccompProfile) } : {}),
      },
    },
  };
}

export function seccomp(p: { type: string; localhostProfile?: string }) {
  if (p.type === 'RuntimeDefault') return { profile_type: 'RuntimeDefault' as const };
  if (p.type === 'Localhost') return { profile_type: 'Localhost' as const, localhost_ref: p.localhostProfile ?? '' };
  return { profile_type: 'Unconfined' as const };
}
