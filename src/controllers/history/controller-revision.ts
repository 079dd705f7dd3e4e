/**
 * ControllerRevisions (apps/v1): immutable snapshots of a DaemonSet's or StatefulSet's pod
 * template. `data` is the strategic merge patch `kubectl rollout undo` sends back to the owner,
 * so a revision is both history and the means of rolling back (upstream pkg/controller/history).
 */
import { deepCopy, deepEqual, type KubeObject } from '../../api/object.js';
import { newControllerRef } from '../common/controller-ref.js';
import { hashRevisionData } from './revision-hash.js';

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** Upstream truncates the owner name so `<owner>-<hash>` stays a valid object name. */
export function controllerRevisionName(ownerName: string, hash: string): string {
  return `${ownerName.length > 223 ? ownerName.slice(0, 223) : ownerName}-${hash}`;
}

/** `{"spec":{"template":{…,"$patch":"replace"}}}` from the owner's current template (upstream getPatch). */
export function templatePatch(owner: KubeObject): Record<string, unknown> {
  const spec = (owner.spec ?? {}) as { template?: Record<string, unknown> };
  const template = { ...deepCopy(spec.template ?? {}), $patch: 'replace' };
  return { spec: { template } };
}

export interface NewRevisionOptions {
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  /** Label that carries the hash: DaemonSets use `controller-revision-hash`, the generic one is `controller.kubernetes.io/hash`. */
  hashLabel: string;
  data: unknown;
  revision: number;
  collisionCount?: number;
}

export function newControllerRevision(o: NewRevisionOptions): ControllerRevision {
  const template = ((o.owner.spec ?? {}) as { template?: { metadata?: { labels?: Record<string, string> } } }).template;
  const hash = hashRevisionData(o.data, o.collisionCount);
  const annotations = o.owner.metadata.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(o.owner.metadata.name!, hash),
      namespace: o.owner.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), [o.hashLabel]: hash },
      ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
      ownerReferences: [newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)],
    },
    data: o.data,
    revision: o.revision,
  };
}

/** Revisions are equal when their data is (upstream compares the hash label first, then bytes). */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  return deepEqual(a.data, b.data);
}

export function findEqualRevisions(revisions: ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** Ascending by revision number, then name, so the newest is last (upstream SortControllerRevisions). */
export function sortRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => a.revision - b.revision || (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

export function nextRevisionNumber(revisions: ControllerRevision[]): number {
  let max = 0;
  for (const r of revisions) if (r.revision > max) max = r.revision;
  return max + 1;
}
