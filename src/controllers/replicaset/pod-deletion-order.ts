/**
 * Which surplus pods go first (upstream controller.ActivePodsWithRanks with the
 * PodDeletionCost and LogarithmicScaleDown defaults of 1.32): unscheduled before scheduled,
 * Pending before Unknown before Running, not ready before ready, lower
 * `controller.kubernetes.io/pod-deletion-cost` first, pods doubled up on a node with related
 * pods first, then more recently ready, more restarts, and newer pods first.
 */
import type { KubeObject } from '../../api/object.js';
import { parseTime } from '../../client/time-format.js';
import { isPodActive, isPodReady, podCondition, podPhase } from '../common/pods.js';

const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function nodeName(pod: KubeObject): string {
  return ((pod.spec ?? {}) as { nodeName?: string }).nodeName ?? '';
}

function deletionCost(pod: KubeObject): number {
  const v = Number(pod.metadata.annotations?.[DELETION_COST] ?? '0');
  return Number.isInteger(v) ? v : 0;
}

function restarts(pod: KubeObject): number {
  const statuses = ((pod.status ?? {}) as { containerStatuses?: { restartCount?: number }[] }).containerStatuses ?? [];
  return statuses.reduce((n, s) => Math.max(n, s.restartCount ?? 0), 0);
}

/** Ages compared on a log2 scale, so pods of similar age count as equally old. */
function logBucket(t: number | undefined, now: number): number {
  if (t === undefined) return -Infinity;
  return Math.floor(Math.log2(Math.max(1, (now - t) * 1e6)));
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: KubeObject, b: KubeObject, rankA: number, rankB: number, now: number): number {
  const na = nodeName(a);
  const nb = nodeName(b);
  if ((na === '') !== (nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDER[podPhase(a)] ?? 0;
  const pb = PHASE_ORDER[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const ta = logBucket(parseTime(podCondition(a, 'Ready')?.lastTransitionTime), now);
    const tb = logBucket(parseTime(podCondition(b, 'Ready')?.lastTransitionTime), now);
    if (ta !== tb) return ta - tb;
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ga = logBucket(parseTime(a.metadata.creationTimestamp), now);
  const gb = logBucket(parseTime(b.metadata.creationTimestamp), now);
  if (ga !== gb) return ga - gb;
  return 0;
}

/**
 * Picks `count` pods of `pods` to delete. `related` are the active pods of every ReplicaSet
 * that shares this one's owner (a Deployment's old and new sets), used to spread deletions
 * away from nodes that run several of them.
 */
export function podsToDelete(pods: KubeObject[], related: KubeObject[], count: number, now: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    const n = nodeName(p);
    if (!isPodActive(p) || n === '') continue;
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: nodeName(pod) === '' ? 0 : (onNode.get(nodeName(pod)) ?? 0) }));
  ranked.sort((x, y) => compareForDeletion(x.pod, y.pod, x.rank, y.rank, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
