/**
 * The `batch.kubernetes.io/job-tracking` finalizer: every pod a Job creates carries it, so a
 * finished pod cannot disappear before the controller has counted it in the Job's status.
 * The controller first records the pod's uid in status.uncountedTerminatedPods, then removes
 * the finalizer, then moves the uid into the succeeded/failed counters.
 */
import type { KubeObject } from '../../api/object.js';
import type { ApiClient } from '../../client/client.js';
import { isInvalid, isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/**
 * Removes the finalizer with a JSON patch guarded by `test`, so a concurrent change of the
 * finalizer list makes the patch fail (and the sync retry) instead of dropping someone else's.
 * A pod that is already gone counts as done.
 */
export async function removeTrackingFinalizer(client: ApiClient, pod: KubeObject): Promise<void> {
  const i = (pod.metadata.finalizers ?? []).indexOf(JOB_TRACKING_FINALIZER);
  if (i < 0) return;
  const path = `/metadata/finalizers/${i}`;
  try {
    await client.patch(Resources.pods, pod.metadata.namespace, pod.metadata.name!, 'json', [
      { op: 'test', path, value: JOB_TRACKING_FINALIZER },
      { op: 'remove', path },
    ]);
  } catch (err) {
    if (isNotFound(err)) return;
    if (isInvalid(err)) {
      // The list moved under us: fall back to reading the pod fresh.
      const fresh = await client.get(Resources.pods, pod.metadata.namespace, pod.metadata.name!).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (fresh && hasTrackingFinalizer(fresh)) return removeTrackingFinalizer(client, fresh);
      return;
    }
    throw err;
  }
}

/**
 * Pod uids whose finalizer removal the controller has asked for but not yet observed in its
 * pod cache; until then those pods are treated as already counted (upstream
 * finalizerExpectations), so a stale cache never counts a pod twice.
 */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expectRemoved(jobKey: string, uids: string[]): void {
    let set = this.byJob.get(jobKey);
    if (!set) this.byJob.set(jobKey, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  observed(jobKey: string, uid: string): void {
    const set = this.byJob.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.byJob.delete(jobKey);
  }

  expected(jobKey: string): ReadonlySet<string> {
    return this.byJob.get(jobKey) ?? new Set();
  }

  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}
