/**
 * RollingUpdate (upstream rolling.go): grow the new set within maxSurge, shrink old sets while
 * at least spec.replicas - maxUnavailable pods stay available, unhealthy old pods first.
 */
import type { DeploymentSync } from './deployment-sync.js';
import type { ReplicaSet } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { deploymentComplete } from './deployment-status.js';
import { byCreation, filterActive, sumStatus } from './replica-set-lists.js';
import { maxUnavailable, newRSNewReplicas, sumSpecReplicas } from './rollout-limits.js';

export async function rolloutRolling(s: DeploymentSync, rsList: ReplicaSet[]): Promise<void> {
  const found = await s.newAndOld(rsList, true);
  let newRS = found.newRS!;
  const oldRSs = found.oldRSs;
  let all = [...oldRSs, newRS];
  const up = await reconcileNewReplicaSet(s, all, newRS);
  if (up.scaled) {
    newRS = up.rs;
    return s.syncRolloutStatus([...oldRSs, newRS], newRS);
  }
  if (await reconcileOldReplicaSets(s, all, filterActive(oldRSs), newRS)) return s.syncRolloutStatus(all, newRS);
  all = [...oldRSs, newRS];
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(oldRSs);
  return s.syncRolloutStatus(all, newRS);
}

async function reconcileNewReplicaSet(s: DeploymentSync, all: ReplicaSet[], newRS: ReplicaSet): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const want = specReplicas(s.d);
  if (specReplicas(newRS) === want) return { scaled: false, rs: newRS };
  if (specReplicas(newRS) > want) return s.scaleAndRecord(newRS, want);
  return s.scaleAndRecord(newRS, newRSNewReplicas(s.d, all, newRS));
}

async function reconcileOldReplicaSets(s: DeploymentSync, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const minAvailable = specReplicas(s.d) - maxUnavailable(s.d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpecReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const { sets, count: cleaned } = await cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(s, [...sets, newRS], sets);
  return cleaned + scaledDown > 0;
}

/** Old pods that are not available cost nothing to remove: scale those away first. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], maxCleanup: number): Promise<{ sets: ReplicaSet[]; count: number }> {
  const sets = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sets.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sets[i];
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxCleanup - total, unhealthy);
    sets[i] = (await s.scaleAndRecord(rs, specReplicas(rs) - n)).rs;
    total += n;
  }
  return { sets, count: total };
}

async function scaleDownOldForRollingUpdate(s: DeploymentSync, all: ReplicaSet[], oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = specReplicas(s.d) - maxUnavailable(s.d);
  const available = sumStatus(all, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), target - total);
    await s.scaleAndRecord(rs, specReplicas(rs) - n);
    total += n;
  }
  return total;
}
