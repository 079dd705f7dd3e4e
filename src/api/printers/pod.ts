/**
 * Pods: READY, STATUS and RESTARTS computed the way upstream's printPod does, which is what
 * users read as "the pod status" (Init:0/1, CrashLoopBackOff, Completed, Terminating, ...).
 */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { humanDuration, parseTimestamp, translateTimestampSince } from './human-duration.js';
import { arr, num, rec, str, type JsonRecord } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

/** Pod status reason set by the node lifecycle controller for pods on unreachable nodes. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function conditionTrue(conditions: JsonRecord[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** Upstream looks only at the first PodInitialized condition. */
function initializedConditionTrue(conditions: JsonRecord[]): boolean {
  const c = conditions.find((x) => x.type === 'Initialized');
  return c !== undefined && c.status === 'True';
}

/** Latest lastState.terminated.finishedAt seen so far (0 = none, like Go's zero time). */
function laterFinish(current: number, status: JsonRecord): number {
  const terminated = rec(rec(status.lastState).terminated);
  if (Object.keys(terminated).length === 0) return current;
  const finished = parseTimestamp(terminated.finishedAt) ?? 0;
  return finished > current ? finished : current;
}

interface PodSummary {
  ready: string;
  reason: string;
  restarts: string;
}

export function summarizePod(pod: JsonRecord, now: number): PodSummary {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const metadata = rec(pod.metadata);
  const conditions = arr(status.conditions);
  const initContainers = arr(spec.initContainers);
  const restartable = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));

  let restarts = 0;
  let restartableInitRestarts = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;
  const totalContainers = arr(spec.containers).length + restartable.size;
  let readyContainers = 0;

  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const isRestartable = restartable.has(str(cs.name));
    restarts += num(cs.restartCount);
    lastRestart = laterFinish(lastRestart, cs);
    if (isRestartable) {
      restartableInitRestarts += num(cs.restartCount);
      lastRestartableInitRestart = laterFinish(lastRestartableInitRestart, cs);
    }
    const state = rec(cs.state);
    const terminated = state.terminated === undefined || state.terminated === null ? undefined : rec(state.terminated);
    const waiting = state.waiting === undefined || state.waiting === null ? undefined : rec(state.waiting);
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (isRestartable && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      if (str(terminated.reason) === '') {
        reason = num(terminated.signal) !== 0 ? `Init:Signal:${num(terminated.signal)}` : `Init:ExitCode:${num(terminated.exitCode)}`;
      } else {
        reason = `Init:${str(terminated.reason)}`;
      }
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedConditionTrue(conditions)) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    // Upstream walks the statuses backwards, so the first container's state wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += num(cs.restartCount);
      lastRestart = laterFinish(lastRestart, cs);
      const state = rec(cs.state);
      const terminated = state.terminated === undefined || state.terminated === null ? undefined : rec(state.terminated);
      const waiting = rec(state.waiting);
      if (str(waiting.reason) !== '') {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason) !== '') {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason = num(terminated.signal) !== 0 ? `Signal:${num(terminated.signal)}` : `ExitCode:${num(terminated.exitCode)}`;
      } else if (cs.ready === true && state.running !== undefined && state.running !== null) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last-terminated container reads "Completed" is still running while any
    // other container runs.
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = metadata.deletionTimestamp !== undefined && metadata.deletionTimestamp !== null;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) {
    restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsText };
}

function podIP(status: JsonRecord): string {
  const ips = arr(status.podIPs);
  // v1 objects may carry only podIP; upstream's conversion fills podIPs from it.
  const ip = ips.length > 0 ? str(ips[0].ip) : str(status.podIP);
  return ip === '' ? '<none>' : ip;
}

function readinessGates(spec: JsonRecord, status: JsonRecord): string {
  const gates = arr(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = arr(status.conditions);
  let trueCount = 0;
  for (const gate of gates) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (c && c.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn,
    column('IP', 'string', swaggerDoc.PodStatus.podIP, 1),
    column('Node', 'string', swaggerDoc.PodSpec.nodeName, 1),
    column('Nominated Node', 'string', swaggerDoc.PodStatus.nominatedNodeName, 1),
    column('Readiness Gates', 'string', swaggerDoc.PodSpec.readinessGates, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const s = summarizePod(obj as JsonRecord, now);
    return [
      obj.metadata.name ?? '',
      s.ready,
      s.reason,
      s.restarts,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      podIP(status),
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(spec, status),
    ];
  },
};
