/**
 * The current and update revisions of a StatefulSet (upstream getStatefulSetRevisions): the
 * update revision is the set's present template; an equal older revision is reused and
 * renumbered to be the newest, so `rollout undo` does not grow history with duplicates.
 */
import type { RevisionHistory } from '../history/revision-history.js';
import {
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevisionNumber,
  sortRevisions,
  templatePatch,
  type ControllerRevision,
} from '../history/controller-revision.js';
import type { StatefulSet } from './stateful-pod.js';

/** Generic revision hash label upstream's history package sets on StatefulSet revisions. */
export const HASH_LABEL = 'controller.kubernetes.io/hash';

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
  all: ControllerRevision[];
}

export async function statefulSetRevisions(history: RevisionHistory, set: StatefulSet, owned: ControllerRevision[]): Promise<SetRevisions> {
  const revisions = sortRevisions(owned);
  let collisionCount = set.status?.collisionCount ?? 0;
  const base = { owner: set, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet', hashLabel: HASH_LABEL, data: templatePatch(set) };
  const candidate = newControllerRevision({ ...base, revision: nextRevisionNumber(revisions), collisionCount });
  const equal = findEqualRevisions(revisions, candidate);
  let update: ControllerRevision;
  const all = [...revisions];
  if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
    update = revisions[revisions.length - 1];
  } else if (equal.length > 0) {
    update = await history.updateRevisionNumber(equal[equal.length - 1], candidate.revision);
    all.splice(all.indexOf(equal[equal.length - 1]), 1, update);
  } else {
    const created = await history.create({ ...base, revision: candidate.revision }, collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
    all.push(update);
  }
  const current = all.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount, all };
}
