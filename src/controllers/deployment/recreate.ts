/**
 * Recreate (upstream recreate.go): scale every old set to 0, wait until none of their pods
 * is still running (terminating pods count), then bring up the new set at full size.
 */
import type { KubeObject } from '../../api/object.js';
import { podPhase } from '../common/pods.js';
import type { DeploymentSync } from './deployment-sync.js';
import type { ReplicaSet } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { deploymentComplete } from './deployment-status.js';
import { filterActive, sumStatus } from './replica-set-lists.js';

/** `podsBySet`: pods keyed by the uid of the set that controls them. */
export async function rolloutRecreate(s: DeploymentSync, rsList: ReplicaSet[], podsBySet: Map<string, KubeObject[]>): Promise<void> {
  let { newRS, oldRSs } = await s.newAndOld(rsList, false);
  let all = [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if ((await s.scaleAndRecord(rs, 0)).scaled) scaledDown = true;
  if (scaledDown) return s.syncRolloutStatus(all, newRS);
  if (oldPodsRunning(newRS, oldRSs, podsBySet)) return s.syncRolloutStatus(all, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await s.newAndOld(rsList, true));
    all = [...oldRSs, newRS!];
  }
  await s.scaleAndRecord(newRS!, specReplicas(s.d));
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(oldRSs);
  return s.syncRolloutStatus(all, newRS);
}

function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podsBySet: Map<string, KubeObject[]>): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podsBySet) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => podPhase(p) !== 'Failed' && podPhase(p) !== 'Succeeded')) return true;
  }
  return false;
}
