/**
 * Test support standing in for a kubelet until simulated nodes exist: it marks pods Running and
 * Ready through the status subresource and finishes graceful deletions. It models no containers,
 * probes, restarts or node binding.
 */
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../base/clock.js';
import type { ApiClient } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';

export async function markPodRunningReady(client: ApiClient, clock: Clock, pod: KubeObject): Promise<boolean> {
  const ts = rfc3339(clock.now());
  const containers = ((pod.spec ?? {}) as { containers?: { name: string; image?: string }[] }).containers ?? [];
  const status = {
    phase: 'Running',
    startTime: ts,
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: ts })),
    containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: ts } } })),
  };
  try {
    await client.updateStatus(Resources.pods, { ...pod, status });
    return true;
  } catch (err) {
    if (isNotFound(err) || isConflict(err)) return false;
    throw err;
  }
}

/** One pass over a namespace: pods not yet running become Running+Ready; terminating pods go. */
export async function runPodsOnce(client: ApiClient, clock: Clock, namespace: string, onStarted?: (pod: KubeObject) => void): Promise<void> {
  const pods = await client.list(Resources.pods, namespace);
  for (const pod of pods.items) {
    if (pod.metadata.deletionTimestamp) {
      try {
        await client.delete(Resources.pods, namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      continue;
    }
    if (((pod.status ?? {}) as { phase?: string }).phase === 'Running') continue;
    if (await markPodRunningReady(client, clock, pod)) onStarted?.(pod);
  }
}
