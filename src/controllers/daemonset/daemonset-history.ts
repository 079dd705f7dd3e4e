/**
 * A DaemonSet's revision history (upstream constructHistory/cleanupHistory in update.go): the
 * revision equal to the present template is the current one, renumbered to be the newest when
 * an undo brought an old template back; duplicates are removed; old revisions beyond
 * revisionHistoryLimit go unless a pod still carries their hash.
 */
import type { KubeObject } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import { nextRevisionNumber, sortRevisions, templatePatch, type ControllerRevision } from '../history/controller-revision.js';
import type { RevisionHistory } from '../history/revision-history.js';
import { REVISION_HASH_LABEL } from './daemon-pod.js';

export interface DaemonSetHistory {
  current: ControllerRevision;
  old: ControllerRevision[];
  hash: string;
  collisionCount: number;
}

export async function constructHistory(history: RevisionHistory, ds: KubeObject, owned: ControllerRevision[]): Promise<DaemonSetHistory> {
  const data = templatePatch(ds);
  const sorted = sortRevisions(owned);
  const matching = sorted.filter((r) => deepEqual(r.data, data));
  const old = sorted.filter((r) => !matching.includes(r));
  const maxRevision = nextRevisionNumber(sorted) - 1;
  let collisionCount = ((ds.status ?? {}) as { collisionCount?: number }).collisionCount ?? 0;
  let current: ControllerRevision;
  if (matching.length === 0) {
    const created = await history.create(
      { owner: ds, ownerApiVersion: 'apps/v1', ownerKind: 'DaemonSet', hashLabel: REVISION_HASH_LABEL, data, revision: maxRevision + 1 },
      collisionCount,
    );
    current = created.revision;
    collisionCount = created.collisionCount;
  } else {
    current = matching[matching.length - 1];
    for (const dup of matching.slice(0, -1)) await history.delete(dup);
    if (current.revision < maxRevision) current = await history.updateRevisionNumber(current, maxRevision + 1);
  }
  const hash = current.metadata.labels?.[REVISION_HASH_LABEL] ?? current.metadata.name!.slice(ds.metadata.name!.length + 1);
  return { current, old, hash, collisionCount };
}

export async function cleanupHistory(history: RevisionHistory, ds: KubeObject, h: DaemonSetHistory, pods: KubeObject[]): Promise<void> {
  const liveHashes = new Set<string>([h.hash]);
  for (const p of pods) {
    const v = p.metadata.labels?.[REVISION_HASH_LABEL];
    if (v) liveHashes.add(v);
  }
  const limit = ((ds.spec ?? {}) as { revisionHistoryLimit?: number }).revisionHistoryLimit ?? 10;
  await history.truncate(h.old, (r) => liveHashes.has(r.metadata.labels?.[REVISION_HASH_LABEL] ?? ''), limit);
}
