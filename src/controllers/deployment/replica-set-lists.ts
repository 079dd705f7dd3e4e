/**
 * Finding a Deployment's new and old ReplicaSets and ordering them (upstream deployment util
 * FindNewReplicaSet, FindOldReplicaSets, FilterActiveReplicaSets and the sort orders).
 */
import { deepCopy, deepEqual } from '../../api/object.js';
import { parseTime } from '../../client/time-format.js';
import type { Deployment, PodTemplate, ReplicaSet } from './deployment-types.js';
import { POD_TEMPLATE_HASH, REVISION, specReplicas } from './deployment-types.js';

function withoutHash(t: PodTemplate | undefined): PodTemplate {
  const c = deepCopy(t ?? {});
  const labels = c.metadata?.labels;
  if (labels) {
    delete labels[POD_TEMPLATE_HASH];
    if (Object.keys(labels).length === 0) delete c.metadata!.labels;
  }
  if (c.metadata && Object.keys(c.metadata).length === 0) delete c.metadata;
  return c;
}

/** Templates equal apart from the pod-template-hash label (what rollout undo relies on). */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return deepEqual(withoutHash(a), withoutHash(b));
}

function created(rs: ReplicaSet): number {
  return parseTime(rs.metadata.creationTimestamp) ?? 0;
}

/** Oldest first; ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);
}

/** Largest first; ties newer first (scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || -byCreation(a, b);
}

/** Largest first; ties older first (scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}

export function revisionOf(rs: ReplicaSet): number {
  const v = Number(rs.metadata.annotations?.[REVISION] ?? '');
  return Number.isInteger(v) && v >= 0 ? v : 0;
}

export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

export function maxRevision(sets: ReplicaSet[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The oldest set whose template matches the Deployment's (there may be several after a collision). */
export function findNewReplicaSet(d: Deployment, sets: ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

export function findOldReplicaSets(d: Deployment, sets: ReplicaSet[]): ReplicaSet[] {
  const n = findNewReplicaSet(d, sets);
  return sets.filter((rs) => rs.metadata.uid !== n?.metadata.uid);
}

export function filterActive(sets: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return sets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

export function sumStatus(sets: (ReplicaSet | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return sets.reduce((n, rs) => n + ((rs?.status?.[field] as number | undefined) ?? 0), 0);
}

/** The one set that should take all replicas when at most one is active (upstream FindActiveOrLatest). */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, old: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && old.length === 0) return undefined;
  const sortedOld = [...old].sort((a, b) => -byCreation(a, b));
  const active = filterActive([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  if (active.length === 1) return active[0];
  return undefined;
}
