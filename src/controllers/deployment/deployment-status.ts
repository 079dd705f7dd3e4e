/**
 * Deployment status and rollout progress (upstream sync.go calculateStatus, progress.go and
 * the DeploymentComplete/Progressing/TimedOut helpers) as pure functions of the sets and time.
 */
import { parseTime } from '../../client/time-format.js';
import { getCondition, newCondition, Reason, removeCondition, setCondition } from './deployment-conditions.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { maxUnavailable, sumSpecReplicas } from './rollout-limits.js';
import { sumStatus } from './replica-set-lists.js';

/** Zero counts are omitted, as Go's omitempty does on the wire. */
function put(status: DeploymentStatus, field: keyof DeploymentStatus, n: number): void {
  if (n !== 0) (status as Record<string, unknown>)[field] = n;
}

export function calculateStatus(all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = sumStatus(all, 'availableReplicas');
  const unavailable = Math.max(0, sumSpecReplicas(all) - available);
  const status: DeploymentStatus = {};
  put(status, 'observedGeneration', d.metadata.generation ?? 0);
  put(status, 'replicas', sumStatus(all, 'replicas'));
  put(status, 'updatedReplicas', sumStatus([newRS], 'replicas'));
  put(status, 'readyReplicas', sumStatus(all, 'readyReplicas'));
  put(status, 'availableReplicas', available);
  put(status, 'unavailableReplicas', unavailable);
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** A progress deadline is set unless it is the "no deadline" value (MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec.progressDeadlineSeconds ?? 600;
  return s !== 2147483647;
}

export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = specReplicas(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === Reason.NewReplicaSetAvailable) return false;
  if (c.reason === Reason.ProgressDeadlineExceeded) return true;
  const from = parseTime(c.lastUpdateTime) ?? now;
  return from + (d.spec.progressDeadlineSeconds ?? 600) * 1000 < now;
}

/** The first ReplicaFailure condition of the sets, new set first, as a Deployment condition. */
function replicaFailure(all: ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const ordered = newRS ? [newRS, ...all.filter((rs) => rs !== newRS)] : all;
  for (const rs of ordered) {
    const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (c) return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/** The status a rolling or recreate pass should write (upstream syncRolloutStatus). */
export function rolloutStatus(all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const s = calculateStatus(all, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && current?.reason === Reason.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(s, newCondition('Progressing', 'True', Reason.NewReplicaSetAvailable, msg, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      // Progress refreshes lastUpdateTime even with the same reason: the deadline counts from it.
      const cond = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, msg, now);
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, cond);
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', Reason.ProgressDeadlineExceeded, msg, now));
    }
  }
  const failure = replicaFailure(all, newRS);
  if (failure) setCondition(s, failure);
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/**
 * When a rollout shows no progress, how long until its deadline should be checked again
 * (upstream requeueStuckDeployment); undefined when there is nothing to wait for.
 */
export function stuckRecheckIn(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, s) || c.reason === Reason.ProgressDeadlineExceeded) return undefined;
  const from = parseTime(c.lastUpdateTime) ?? now;
  return Math.max(0, from + (d.spec.progressDeadlineSeconds ?? 600) * 1000 - now);
}
