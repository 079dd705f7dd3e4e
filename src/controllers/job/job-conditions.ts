/** Job status conditions (upstream pkg/controller/job and pkg/controller/job/util). */
import type { KubeObject } from '../../api/object.js';
import { rfc3339 } from '../../client/time-format.js';

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export function jobConditions(job: KubeObject): JobCondition[] {
  return ((job.status ?? {}) as { conditions?: JobCondition[] }).conditions ?? [];
}

export function findCondition(list: JobCondition[] | undefined, type: string): JobCondition | undefined {
  return (list ?? []).find((c) => c.type === type);
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const ts = rfc3339(now);
  const c: JobCondition = { type, status, lastProbeTime: ts, lastTransitionTime: ts };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/**
 * Sets a condition of `type` to the given status, reason and message; a missing condition is
 * only added when its status is not False (nothing → False says nothing). Returns whether the
 * list changed.
 */
export function ensureCondition(list: JobCondition[], type: string, status: string, reason: string, message: string, now: number): boolean {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  list.push(newCondition(type, status, reason, message, now));
  return true;
}

/** The Complete or Failed condition that is True, if the job is finished. */
export function finishedCondition(job: KubeObject): JobCondition | undefined {
  return jobConditions(job).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function isJobFinished(job: KubeObject): boolean {
  return finishedCondition(job) !== undefined;
}
