/**
 * The annotations a Deployment keeps on its ReplicaSets (upstream SetNewReplicaSetAnnotations,
 * SetReplicasAnnotations): revision (and revision-history when an old set is revived by
 * `rollout undo`), desired-replicas and max-replicas for proportional scaling, and the
 * Deployment's own annotations such as kubernetes.io/change-cause.
 */
import type { Deployment, ReplicaSet } from './deployment-types.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, REVISION_HISTORY, specReplicas } from './deployment-types.js';
import { maxSurge } from './rollout-limits.js';

const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** Upstream caps revision-history so the annotation stays small. */
const MAX_REVISION_HISTORY_CHARS = 2000;

function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return !a || a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const a = (rs.metadata.annotations ??= {});
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return true;
}

/** Mutates `rs`; returns whether anything changed. `exists` = the set was found, not being created. */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = rs.metadata.annotations!;
  const oldRevision = annotations[REVISION];
  const oldRevisionNum = oldRevision === undefined || oldRevision === '' ? 0 : Number(oldRevision);
  if (!Number.isInteger(oldRevisionNum)) return changed;
  if (oldRevisionNum < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision) {
      const history = annotations[REVISION_HISTORY];
      if (!history) annotations[REVISION_HISTORY] = oldRevision;
      else if (history.length + oldRevision.length + 1 <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY] = `${history},${oldRevision}`;
      else annotations[REVISION_HISTORY] = `${history.split(',').slice(1).join(',')},${oldRevision}`;
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const v = Number(rs.metadata.annotations?.[DESIRED_REPLICAS] ?? '');
  return rs.metadata.annotations?.[DESIRED_REPLICAS] !== undefined && Number.isInteger(v) ? v : undefined;
}

export function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const v = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? '');
  return rs.metadata.annotations?.[MAX_REPLICAS] !== undefined && Number.isInteger(v) ? v : undefined;
}
