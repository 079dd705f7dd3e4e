/** The CRI ContainerConfig of one container of a pod (upstream's generateContainerConfig). */
import { createHash } from 'node:crypto';
import { parseQuantity } from '../../api/quantity.js';
import type { ContainerConfig, LinuxContainerResources, LinuxContainerSecurityContext, Mount } from '../cri/types.js';
import {
  CONTAINER_HASH,
  CONTAINER_NAME,
  CONTAINER_RESTART_COUNT,
  CONTAINER_TYPE,
  POD_NAME,
  POD_NAMESPACE,
  POD_UID,
  PRESTOP_HANDLER,
  TERMINATION_GRACE_PERIOD,
  TERMINATION_MESSAGE_PATH,
  TERMINATION_MESSAGE_POLICY,
} from './cri-labels.js';
import { ContainerConfigError, expandVars } from './env.js';
import { seccomp } from './sandbox-config.js';
import type { Container, Pod } from './pod-types.js';

const CPU_PERIOD = 100_000;
const MIN_SHARES = 2;

const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

function milli(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const p = parseQuantity(String(q));
  return p.ok ? Number(p.quantity.nanos / 1_000_000n) : undefined;
}

function bytes(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const p = parseQuantity(String(q));
  return p.ok ? Number(p.quantity.nanos / 1_000_000_000n) : undefined;
}

/** A stable hash of the container spec: a changed spec means a new container. */
export function containerHash(c: Container): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 8);
}

export function linuxResources(c: Container, qos: string, memoryCapacity: number): LinuxContainerResources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuRequest = milli(req.cpu) ?? milli(lim.cpu);
  const shares = cpuRequest === undefined ? MIN_SHARES : Math.max(MIN_SHARES, Math.floor((cpuRequest * 1024) / 1000));
  const out: LinuxContainerResources = { cpu_shares: String(shares), cpu_period: String(CPU_PERIOD) };
  const cpuLimit = milli(lim.cpu);
  if (cpuLimit !== undefined && cpuLimit > 0) out.cpu_quota = String(Math.max(1000, Math.floor((cpuLimit * CPU_PERIOD) / 1000)));
  const memLimit = bytes(lim.memory);
  if (memLimit !== undefined && memLimit > 0) out.memory_limit_in_bytes = String(memLimit);
  // Upstream's OOM score policy; containerd clamps negative values on hosts without CAP_SYS_RESOURCE.
  let oom: number;
  if (qos === 'Guaranteed') oom = -997;
  else if (qos === 'BestEffort') oom = 1000;
  else {
    const memRequest = bytes(req.memory) ?? 0;
    oom = Math.min(999, Math.max(2, 1000 - Math.floor((1000 * memRequest) / Math.max(1, memoryCapacity))));
  }
  out.oom_score_adj = String(oom);
  return out;
}

export interface ImageUser {
  uid?: number;
  username?: string;
}

export function securityContext(pod: Pod, c: Container, image: ImageUser, podName: string): LinuxContainerSecurityContext {
  const psc = pod.spec.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  const runAsNonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
  if (runAsNonRoot) {
    if (runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy (pod: "${podName}", container: ${c.name})`);
    if (runAsUser === undefined) {
      if (image.uid === undefined && image.username) {
        throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root (pod: "${podName}", container: ${c.name})`);
      }
      if (!image.uid) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: "${podName}", container: ${c.name})`);
    }
  }
  const privileged = sc.privileged === true;
  const spec = pod.spec;
  const out: LinuxContainerSecurityContext = {
    privileged,
    readonly_rootfs: sc.readOnlyRootFilesystem === true,
    capabilities: { add_capabilities: sc.capabilities?.add ?? [], drop_capabilities: sc.capabilities?.drop ?? [] },
    no_new_privs: sc.allowPrivilegeEscalation === false,
    namespace_options: {
      network: spec.hostNetwork ? 'NODE' : 'POD',
      pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
      ipc: spec.hostIPC ? 'NODE' : 'POD',
    },
    supplemental_groups: [...(psc.fsGroup !== undefined ? [psc.fsGroup] : []), ...(psc.supplementalGroups ?? [])].map(String),
    masked_paths: privileged ? [] : MASKED_PATHS,
    readonly_paths: privileged ? [] : READONLY_PATHS,
  };
  if (runAsUser !== undefined) out.run_as_user = { value: String(runAsUser) };
  if (runAsGroup !== undefined) out.run_as_group = { value: String(runAsGroup) };
  const profile = sc.seccompProfile ?? psc.seccompProfile;
  if (profile) out.seccomp = seccomp(profile);
  return out;
}

export interface ContainerInput {
  pod: Pod;
  container: Container;
  init: boolean;
  attempt: number;
  envs: { key: string; value: string }[];
  imageRef: string;
  imageUser: ImageUser;
  qos: string;
  memoryCapacity: number;
  /** Host files the kubelet writes for the container. */
  hostsFile?: string;
  terminationLogFile: string;
  /** The container's volumeMounts as CRI mounts (from the volume manager). */
  volumeMounts?: Mount[];
}

export function containerConfig(i: ContainerInput): ContainerConfig {
  const { pod, container: c } = i;
  const m = pod.metadata;
  const vars = new Map(i.envs.map((e) => [e.key, e.value]));
  const mounts: Mount[] = [...(i.volumeMounts ?? [])];
  // A volume mounted at /etc/hosts wins over the kubelet's file, as upstream.
  if (i.hostsFile && !mounts.some((v) => v.container_path === '/etc/hosts')) mounts.push({ container_path: '/etc/hosts', host_path: i.hostsFile });
  mounts.push({ container_path: c.terminationMessagePath ?? '/dev/termination-log', host_path: i.terminationLogFile });
  const annotations: Record<string, string> = {
    [CONTAINER_HASH]: containerHash(c),
    [CONTAINER_RESTART_COUNT]: String(i.attempt),
    [TERMINATION_MESSAGE_PATH]: c.terminationMessagePath ?? '/dev/termination-log',
    [TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? 'File',
    [TERMINATION_GRACE_PERIOD]: String(pod.spec.terminationGracePeriodSeconds ?? 30),
  };
  if (c.lifecycle?.preStop) annotations[PRESTOP_HANDLER] = JSON.stringify(c.lifecycle.preStop);
  return {
    metadata: { name: c.name, attempt: i.attempt },
    image: { image: i.imageRef, user_specified_image: c.image ?? '' },
    ...(c.command ? { command: c.command.map((s) => expandVars(s, vars)) } : {}),
    ...(c.args ? { args: c.args.map((s) => expandVars(s, vars)) } : {}),
    ...(c.workingDir ? { working_dir: c.workingDir } : {}),
    envs: i.envs,
    mounts,
    labels: { [CONTAINER_NAME]: c.name, [POD_NAME]: m.name!, [POD_NAMESPACE]: m.namespace ?? 'default', [POD_UID]: m.uid!, [CONTAINER_TYPE]: i.init ? 'init' : 'regular' },
    annotations,
    log_path: `${c.name}/${i.attempt}.log`,
    stdin: c.stdin === true,
    stdin_once: c.stdinOnce === true,
    tty: c.tty === true,
    linux: {
      resources: linuxResources(c, i.qos, i.memoryCapacity),
      security_context: securityContext(pod, c, i.imageUser, m.name!),
    },
  };
}
