/**
 * The delay before a Job replaces failed pods (upstream backoff_utils.go): 10s after the first
 * failure since the last success, doubling per further failure, capped at 6 minutes, counted
 * from the most recent failure. Records live in memory; after a restart the delay starts over,
 * as upstream's does.
 */
import type { KubeObject } from '../../api/object.js';
import { parseTime } from '../../client/time-format.js';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** When the pod finished: its last container termination, else its latest condition change, else now. */
export function podFinishTime(pod: KubeObject, now: number): number {
  const st = (pod.status ?? {}) as {
    containerStatuses?: { state?: { terminated?: { finishedAt?: string } } }[];
    conditions?: { lastTransitionTime?: string }[];
  };
  let latest: number | undefined;
  for (const cs of st.containerStatuses ?? []) {
    const t = parseTime(cs.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  for (const c of st.conditions ?? []) {
    const t = parseTime(c.lastTransitionTime);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest ?? now;
}

export class PodBackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record as it will be once `succeeded` and `failed` (newly finished pods) are counted. */
  newRecord(key: string, succeeded: KubeObject[], failed: KubeObject[], now: number): BackoffRecord {
    const prev = this.records.get(key) ?? { failuresAfterLastSuccess: 0 };
    if (succeeded.length === 0 && failed.length === 0) return prev;
    const failTimes = failed.map((p) => podFinishTime(p, now));
    if (succeeded.length > 0) {
      const lastSuccess = Math.max(...succeeded.map((p) => podFinishTime(p, now)));
      const after = failTimes.filter((t) => t > lastSuccess);
      return { failuresAfterLastSuccess: after.length, lastFailureTime: after.length ? Math.max(...after) : undefined };
    }
    const last = Math.max(prev.lastFailureTime ?? 0, ...failTimes);
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failed.length, lastFailureTime: last };
  }

  commit(key: string, record: BackoffRecord): void {
    this.records.set(key, record);
  }

  remove(key: string): void {
    this.records.delete(key);
  }
}

/** Milliseconds still to wait before creating replacement pods (0 = now). */
export function remainingBackoff(record: BackoffRecord, now: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  const backoff = Math.min(maxMs, baseMs * 2 ** (record.failuresAfterLastSuccess - 1));
  const elapsed = now - record.lastFailureTime;
  return backoff > elapsed ? backoff - elapsed : 0;
}
