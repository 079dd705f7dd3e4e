/**
 * Messages between the main thread and the writer worker (writer-worker.ts). Writes travel
 * in order and come back in order: one `committed` or `aborted` answer per group, covering
 * the oldest unanswered writes.
 */
import { ConflictError, KeyExistsError, NotFoundError, StorageClosedError, StorageError } from '../interface.js';

export type WriteOp =
  | { type: 'create'; key: string; value: string }
  | { type: 'update'; key: string; value: string; expected: number }
  | { type: 'delete'; key: string; expected?: number };

/** The row a write replaced (its key's newest row before the write). */
export interface PrevRow {
  id: number;
  createRevision: number;
  value: string;
}

/** A failed precondition, as plain data (errors lose their class crossing threads). */
export type Refusal =
  | { code: 'KeyExists'; key: string }
  | { code: 'NotFound'; key: string }
  | { code: 'Conflict'; key: string; expected: number; actual: number };

export type Outcome =
  | { ok: true; revision: number; createRevision: number; prev?: PrevRow }
  | { ok: false; refusal: Refusal };

export type ToWriter =
  | { type: 'write'; ops: WriteOp[] }
  | { type: 'compact'; revision: number }
  | { type: 'close' };

export type FromWriter =
  /** One group committed (durable): an outcome per write, in the order sent. */
  | { type: 'committed'; outcomes: Outcome[] }
  /** One group of `count` writes rolled back as a whole (I/O error and the like). */
  | { type: 'aborted'; count: number; message: string }
  /** History up to `revision` is deleted (or compaction stopped for close). */
  | { type: 'compacted'; revision: number }
  | { type: 'compactFailed'; revision: number; message: string }
  /** Last message: every write and compaction sent before `close` was answered. */
  | { type: 'closed' };

export function refusalError(r: Refusal): StorageError {
  switch (r.code) {
    case 'KeyExists':
      return new KeyExistsError(r.key);
    case 'NotFound':
      return new NotFoundError(r.key);
    case 'Conflict':
      return new ConflictError(r.key, r.expected, r.actual);
  }
}

/**
 * The writer thread died: the store is closed from then on (code 'Closed'), and the
 * message says why.
 */
export class WriterFailedError extends StorageClosedError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super();
    this.message = `storage is closed: the sqlite writer thread failed: ${detail}`;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A group rolled back as a whole; the store goes on. */
export class CommitFailedError extends StorageError {
  constructor(detail: string) {
    super('CommitFailed', `sqlite commit failed: ${detail}`);
  }
}
