/**
 * Pod status exactly as upstream's kubelet reports it (pkg/kubelet/kubelet_pods.go): phase
 * from the containers' states and the restart policy, the five pod conditions, container
 * statuses with state/lastState/restartCount, IPs, startTime and QoS class.
 */
import { qosClass } from '../../api/pod-qos.js';
import { rfc3339 } from '../../client/time-format.js';
import type { ContainerStatus } from '../cri/types.js';
import type { Pod } from '../pods/pod-types.js';

export interface Waiting {
  reason: string;
  message?: string;
}

export interface ContainerView {
  name: string;
  image: string;
  /** The newest instance the runtime has, if any. */
  latest?: ContainerStatus;
  /** The instance before it (lastState). */
  previous?: ContainerStatus;
  /** Why the container is not running now (when it has not started or is backing off). */
  waiting?: Waiting;
  ready: boolean;
  /** Restartable (sidecar) init container. */
  sidecar?: boolean;
}

export interface PodView {
  init: ContainerView[];
  main: ContainerView[];
  podIPs: string[];
  hostIP: string;
  startTime: number;
  /** The sandbox exists and has its network. */
  sandboxReady: boolean;
  /** Transition times of the owned conditions, kept per pod by the caller. */
  transitions: Map<string, { status: string; at: number }>;
  now: number;
}

const nsToMs = (ns: string) => Math.floor(Number(BigInt(ns || '0') / 1_000_000n));

function terminated(s: ContainerStatus): Record<string, unknown> {
  const reason = s.reason || (s.exit_code === 0 ? 'Completed' : 'Error');
  return {
    exitCode: s.exit_code,
    reason,
    ...(s.message ? { message: s.message } : {}),
    startedAt: s.started_at !== '0' ? rfc3339(nsToMs(s.started_at)) : null,
    finishedAt: rfc3339(nsToMs(s.finished_at)),
    containerID: `containerd://${s.id}`,
  };
}

function isRunning(c: ContainerView): boolean {
  return c.latest?.state === 'CONTAINER_RUNNING' && !c.waiting;
}

export function containerStatusJSON(c: ContainerView): Record<string, unknown> {
  const l = c.latest;
  let state: Record<string, unknown>;
  let lastState: Record<string, unknown> = {};
  if (c.waiting || !l || l.state === 'CONTAINER_CREATED' || l.state === 'CONTAINER_UNKNOWN') {
    const w = c.waiting ?? { reason: 'ContainerCreating' };
    state = { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
    if (l && l.state === 'CONTAINER_EXITED') lastState = { terminated: terminated(l) };
    else if (c.previous?.state === 'CONTAINER_EXITED') lastState = { terminated: terminated(c.previous) };
  } else if (l.state === 'CONTAINER_RUNNING') {
    state = { running: { startedAt: rfc3339(nsToMs(l.started_at)) } };
    if (c.previous?.state === 'CONTAINER_EXITED') lastState = { terminated: terminated(c.previous) };
  } else {
    state = { terminated: terminated(l) };
    if (c.previous?.state === 'CONTAINER_EXITED') lastState = { terminated: terminated(c.previous) };
  }
  const out: Record<string, unknown> = {
    name: c.name,
    state,
    lastState,
    ready: c.ready,
    restartCount: l?.metadata?.attempt ?? 0,
    image: l?.image?.user_specified_image || c.image,
    imageID: l?.image_ref ?? '',
    started: isRunning(c),
  };
  if (l) out.containerID = `containerd://${l.id}`;
  return out;
}

const exitedZero = (c: ContainerView) => c.latest?.state === 'CONTAINER_EXITED' && c.latest.exit_code === 0 && !c.waiting;

/** upstream getPhase */
export function podPhase(pod: Pod, v: PodView): string {
  const policy = pod.spec.restartPolicy ?? 'Always';
  let pendingInit = false;
  for (const c of v.init) {
    if (c.sidecar) {
      if (!isRunning(c)) pendingInit = true;
      continue;
    }
    if (exitedZero(c)) continue;
    if (c.latest?.state === 'CONTAINER_EXITED' && policy === 'Never') return 'Failed';
    pendingInit = true;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of v.main) {
    const l = c.latest;
    if (isRunning(c)) running++;
    else if (l?.state === 'CONTAINER_EXITED' && !c.waiting) {
      stopped++;
      if (l.exit_code === 0) succeeded++;
    } else if (c.waiting && (l?.state === 'CONTAINER_EXITED' || c.previous)) stopped++;
    else waiting++;
  }
  if (pendingInit) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

const OWNED = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
const names = (cs: ContainerView[]) => `[${cs.map((c) => c.name).join(' ')}]`;

export function podConditions(pod: Pod, v: PodView, phase: string): Condition[] {
  const prev = ((pod.status ?? {}) as { conditions?: Condition[] }).conditions ?? [];
  const others = prev.filter((c) => !OWNED.has(c.type));
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const owned: Omit<Condition, 'lastProbeTime' | 'lastTransitionTime'>[] = [];
  owned.push({ type: 'PodReadyToStartContainers', status: v.sandboxReady ? 'True' : 'False' });
  const incompleteInit = v.init.filter((c) => (c.sidecar ? !c.latest : !exitedZero(c)));
  const initDone = incompleteInit.length === 0 || (terminal && phase === 'Succeeded');
  owned.push(initDone ? { type: 'Initialized', status: 'True' } : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${names(incompleteInit)}` });
  const unready = [...v.init.filter((c) => c.sidecar && !c.ready), ...v.main.filter((c) => !c.ready)];
  let containersReady: (typeof owned)[number];
  if (terminal) containersReady = { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  else if (unready.length) containersReady = { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${names(unready)}` };
  else containersReady = { type: 'ContainersReady', status: 'True' };
  let ready = { ...containersReady, type: 'Ready' };
  if (ready.status === 'True') {
    for (const gate of pod.spec.readinessGates ?? []) {
      const c = others.find((o) => o.type === gate.conditionType);
      if (!c) {
        ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.` };
        break;
      }
      if (c.status !== 'True') {
        ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}` };
        break;
      }
    }
  }
  owned.push(ready, containersReady);
  const out: Condition[] = [];
  for (const c of owned) {
    const before = prev.find((p) => p.type === c.type);
    let seen = v.transitions.get(c.type);
    if (!seen && before && before.status === c.status && before.lastTransitionTime) seen = { status: c.status, at: Date.parse(before.lastTransitionTime) };
    if (!seen || seen.status !== c.status) seen = { status: c.status, at: v.now };
    v.transitions.set(c.type, seen);
    out.push({ ...c, lastProbeTime: null, lastTransitionTime: rfc3339(seen.at) });
  }
  return [...out, ...others];
}

export function renderPodStatus(pod: Pod, v: PodView): Record<string, unknown> {
  const phase = podPhase(pod, v);
  const status: Record<string, unknown> = {
    phase,
    conditions: podConditions(pod, v, phase),
    hostIP: v.hostIP,
    hostIPs: [{ ip: v.hostIP }],
    startTime: rfc3339(v.startTime),
    qosClass: qosClass(pod.spec as Parameters<typeof qosClass>[0]),
    containerStatuses: v.main.map(containerStatusJSON),
  };
  if (v.podIPs.length) {
    status.podIP = v.podIPs[0];
    status.podIPs = v.podIPs.map((ip) => ({ ip }));
  }
  if (v.init.length) status.initContainerStatuses = v.init.map(containerStatusJSON);
  return status;
}
