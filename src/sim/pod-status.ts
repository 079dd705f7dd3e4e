/**
 * Renders a simulated pod's status the way the kubelet reports it: phase, IPs, QoS class,
 * the five pod conditions with stable lastTransitionTimes, and container statuses.
 */
import type { KubeObject } from '../api/object.js';
import { rfc3339 } from '../client/time-format.js';
import { isTerminal, type ContainerRun, type PodRun, type Terminated } from './pod-lifecycle.js';
import { qosClass } from '../api/pod-qos.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime?: string;
}

/** Condition types the simulated kubelet owns; others (readiness gates, DisruptionTarget) pass through. */
const OWNED = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

/** Remembers when each owned condition last changed status, per pod. */
export type TransitionTimes = Map<string, { status: string; at: number }>;

function terminatedJSON(t: Terminated): Record<string, unknown> {
  return { exitCode: t.exitCode, reason: t.reason, startedAt: rfc3339(t.startedAt), finishedAt: rfc3339(t.finishedAt), containerID: t.containerID };
}

function containerStatus(c: ContainerRun): Record<string, unknown> {
  let state: Record<string, unknown>;
  if (c.state === 'running') state = { running: { startedAt: rfc3339(c.startedAt!) } };
  else if (c.state === 'terminated' && c.terminated) state = { terminated: terminatedJSON(c.terminated) };
  else state = { waiting: { reason: c.waitingReason ?? 'ContainerCreating', ...(c.waitingMessage ? { message: c.waitingMessage } : {}) } };
  const out: Record<string, unknown> = {
    name: c.name,
    image: c.image,
    imageID: `sim://${c.image}`,
    ready: c.ready,
    started: c.state === 'running',
    restartCount: c.restartCount,
    state,
    lastState: c.last ? { terminated: terminatedJSON(c.last) } : {},
  };
  if (c.containerID) out.containerID = c.containerID;
  return out;
}

function names(list: ContainerRun[]): string {
  return `[${list.map((c) => c.name).join(' ')}]`;
}

export function renderPodStatus(run: PodRun, pod: KubeObject, hostIP: string, podIP: string, now: number, times: TransitionTimes): Record<string, unknown> {
  const prev = (pod.status ?? {}) as { conditions?: Condition[] };
  const others = (prev.conditions ?? []).filter((c) => !OWNED.has(c.type));
  const gates = ((pod.spec as { readinessGates?: { conditionType: string }[] } | undefined)?.readinessGates ?? []).map((g) => g.conditionType);
  const terminal = isTerminal(run);

  const incompleteInit = run.init.filter((c) => !(c.state === 'terminated' && c.terminated?.exitCode === 0));
  const unready = run.main.filter((c) => !c.ready);
  const owned: Omit<Condition, 'lastProbeTime'>[] = [];
  owned.push({ type: 'PodReadyToStartContainers', status: terminal ? 'False' : 'True' });
  owned.push(
    incompleteInit.length === 0
      ? { type: 'Initialized', status: 'True' }
      : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${names(incompleteInit)}` },
  );
  let containersReady: Omit<Condition, 'lastProbeTime'>;
  if (terminal) containersReady = { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  else if (unready.length) containersReady = { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${names(unready)}` };
  else containersReady = { type: 'ContainersReady', status: 'True' };
  let ready: Omit<Condition, 'lastProbeTime'> = { ...containersReady, type: 'Ready' };
  if (ready.status === 'True') {
    for (const gate of gates) {
      const c = others.find((o) => o.type === gate);
      if (!c) {
        ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${gate}" does not exist.` };
        break;
      }
      if (c.status !== 'True') {
        ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: `the status of pod readiness gate "${gate}" is not "True", but ${c.status}` };
        break;
      }
    }
  }
  owned.push(ready, containersReady);

  const conditions: Condition[] = [];
  for (const c of owned) {
    const seen = times.get(c.type);
    if (!seen || seen.status !== c.status) times.set(c.type, { status: c.status, at: now });
    conditions.push({ ...c, lastProbeTime: null, lastTransitionTime: rfc3339(times.get(c.type)!.at) });
  }
  const scheduled = others.find((c) => c.type === 'PodScheduled');
  if (!scheduled) conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(run.startTime) });
  conditions.push(...others);

  const status: Record<string, unknown> = {
    phase: run.phase,
    conditions,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: rfc3339(run.startTime),
    qosClass: qosClass((pod.spec ?? {}) as Parameters<typeof qosClass>[0]),
    containerStatuses: run.main.map(containerStatus),
  };
  if (run.init.length) status.initContainerStatuses = run.init.map(containerStatus);
  return status;
}
