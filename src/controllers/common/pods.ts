/** Pod facts controllers share (upstream pkg/api/v1/pod and pkg/controller helpers). */
import type { KubeObject } from '../../api/object.js';
import { parseTime } from '../../client/time-format.js';

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export function podPhase(pod: KubeObject): string {
  return ((pod.status ?? {}) as { phase?: string }).phase ?? 'Pending';
}

export function podCondition(pod: KubeObject, type: string): Condition | undefined {
  const conds = ((pod.status ?? {}) as { conditions?: Condition[] }).conditions ?? [];
  return conds.find((c) => c.type === type);
}

/** Not terminated and not being deleted (upstream IsPodActive). */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: KubeObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds at `now` (upstream IsPodAvailable). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(c.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}
