/**
 * Runs a group of writes in one IMMEDIATE transaction, so one fsync makes the whole group
 * durable. Each write checks its own precondition against the state left by the writes
 * before it in the group and gets its own revision; a refused write changes nothing and
 * does not disturb the others. Anything else that fails (I/O) rolls the whole group back.
 */
import type { Database, Transaction } from 'better-sqlite3';
import type { Outcome, WriteOp } from './writer-protocol.js';
import type { KvRow, Queries } from './queries.js';

export class GroupCommitter {
  private readonly transaction: Transaction<(ops: WriteOp[]) => Outcome[]>;

  constructor(
    db: Database,
    private readonly queries: Queries,
    /** The newest revision ever written (revisions are row ids). */
    private revision: number,
  ) {
    this.transaction = db.transaction((ops: WriteOp[]) => ops.map((op) => this.apply(op)));
  }

  /** Returns an outcome per op once the group is committed; throws when it rolled back. */
  commit(ops: WriteOp[]): Outcome[] {
    const before = this.revision;
    try {
      return this.transaction.immediate(ops);
    } catch (err) {
      this.revision = before;
      throw err;
    }
  }

  private apply(op: WriteOp): Outcome {
    const prev = this.queries.latest.get(op.key);
    const live = prev && !prev.deleted ? prev : undefined;
    switch (op.type) {
      case 'create':
        if (live) return { ok: false, refusal: { code: 'KeyExists', key: op.key } };
        return this.append(op.key, op.value, 0, prev);
      case 'update':
        if (!live) return { ok: false, refusal: { code: 'NotFound', key: op.key } };
        if (live.id !== op.expected) return conflict(op.key, op.expected, live.id);
        return this.append(op.key, op.value, live.create_revision, live);
      case 'delete':
        if (!live) return { ok: false, refusal: { code: 'NotFound', key: op.key } };
        if (op.expected !== undefined && live.id !== op.expected) return conflict(op.key, op.expected, live.id);
        return this.append(op.key, live.value, live.create_revision, live, true);
    }
  }

  /** `createRevision` 0 means "this write creates the key". */
  private append(key: string, value: string, createRevision: number, prev: KvRow | undefined, deleted = false): Outcome {
    const revision = this.revision + 1;
    const created = createRevision === 0;
    const ownCreateRevision = created ? revision : createRevision;
    this.queries.insert.run(revision, key, created ? 1 : 0, deleted ? 1 : 0, ownCreateRevision, prev?.id ?? 0, value);
    this.revision = revision;
    if (created) return { ok: true, revision, createRevision: ownCreateRevision };
    return { ok: true, revision, createRevision: ownCreateRevision, prev: { id: prev!.id, createRevision: prev!.create_revision, value: prev!.value } };
  }
}

function conflict(key: string, expected: number, actual: number): Outcome {
  return { ok: false, refusal: { code: 'Conflict', key, expected, actual } };
}
