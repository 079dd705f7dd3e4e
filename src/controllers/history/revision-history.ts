/**
 * The writes around ControllerRevisions an owner's controller performs: create with hash
 * collision handling, renumber, delete, adopt orphans and trim history. Reads come from the
 * caller's informer; only writes go to the API.
 */
import { deepCopy, type KubeObject } from '../../api/object.js';
import type { ApiClient } from '../../client/client.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { getControllerOf } from '../common/controller-ref.js';
import { newControllerRevision, equalRevision, sortRevisions, type ControllerRevision, type NewRevisionOptions } from './controller-revision.js';

export interface CreatedRevision {
  revision: ControllerRevision;
  /** The owner's status.collisionCount after creation (raised on each hash collision). */
  collisionCount: number;
}

export class RevisionHistory {
  constructor(private readonly client: ApiClient) {}

  /**
   * Creates the revision; when a different revision already holds the name, bumps the
   * collision count and tries again, and when an equal one holds it, returns that one.
   */
  async create(opts: Omit<NewRevisionOptions, 'collisionCount'>, collisionCount: number): Promise<CreatedRevision> {
    let count = collisionCount;
    for (;;) {
      const cr = newControllerRevision({ ...opts, collisionCount: count });
      try {
        const created = await this.client.create<ControllerRevision>(Resources.controllerrevisions, cr.metadata.namespace, cr);
        return { revision: created, collisionCount: count };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await this.client.get<ControllerRevision>(Resources.controllerrevisions, cr.metadata.namespace, cr.metadata.name!);
        if (equalRevision(existing, cr) && getControllerOf(existing)?.uid === opts.owner.metadata.uid) return { revision: existing, collisionCount: count };
        count++;
      }
    }
  }

  async updateRevisionNumber(rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
    if (rev.revision === revision) return rev;
    const clone = deepCopy(rev);
    clone.revision = revision;
    return this.client.update<ControllerRevision>(Resources.controllerrevisions, clone);
  }

  async delete(rev: ControllerRevision): Promise<void> {
    try {
      await this.client.delete(Resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, { preconditions: { uid: rev.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Makes `owner` the controller of an orphaned revision its selector matches. */
  async adopt(owner: KubeObject, ownerApiVersion: string, ownerKind: string, rev: ControllerRevision): Promise<ControllerRevision> {
    const ref = { apiVersion: ownerApiVersion, kind: ownerKind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
    const refs = [...(rev.metadata.ownerReferences ?? []), ref];
    return this.client.patch<ControllerRevision>(Resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, 'merge', {
      metadata: { ownerReferences: refs, uid: rev.metadata.uid },
    });
  }

  /** Removes `owner`'s reference from a revision its selector no longer matches. */
  async release(owner: KubeObject, rev: ControllerRevision): Promise<void> {
    const refs = (rev.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
    try {
      await this.client.patch(Resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, 'merge', { metadata: { ownerReferences: refs, uid: rev.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /**
   * Deletes the oldest revisions beyond `limit`, never a live one (one some pod or the owner's
   * status still refers to).
   */
  async truncate(revisions: ControllerRevision[], isLive: (r: ControllerRevision) => boolean, limit: number): Promise<ControllerRevision[]> {
    const candidates = sortRevisions(revisions).filter((r) => !isLive(r));
    const excess = candidates.length - Math.max(0, limit);
    const deleted: ControllerRevision[] = [];
    for (let i = 0; i < excess; i++) {
      await this.delete(candidates[i]);
      deleted.push(candidates[i]);
    }
    return deleted;
  }
}
