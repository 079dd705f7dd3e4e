/**
 * The default Storage: SQLite through better-sqlite3, one row per revision (see schema.ts).
 *
 * Two connections: a writer thread (writer-worker.ts) owns the only writing connection and
 * commits groups of writes there, fsync included, off the main event loop; the main thread
 * reads through its own connection (WAL: it sees every committed group). A write's promise
 * settles only after its group committed, so reads after an acknowledged write see it.
 * All writes to a database go through this process, so watch events come straight from the
 * group results, published in revision order; history for watches from a past revision is
 * read from the table.
 */
import type { Database } from 'better-sqlite3';
import {
  CompactedError,
  FutureRevisionError,
  StorageClosedError,
  type KeyValue,
  type StorageError,
  type ListOptions,
  type ListResult,
  type Storage,
  type Watch,
  type WatchEvent,
  type WatchHandlers,
} from '../interface.js';
import { prefixEnd } from '../key-range.js';
import { WatchHub } from '../watch-hub.js';
import { openConnection } from './connection.js';
import { Queries, type HistoryRow, type KvRow } from './queries.js';
import { metaCompactRevision } from './schema.js';
import type { WriteOp } from './writer-protocol.js';
import { WriterThread } from './writer-thread.js';
import type { Writer, WriterHooks } from './writer.js';

export interface SqliteStorageOptions {
  /** Database file; its folder is created when missing. */
  path: string;
}

/**
 * Resolves once the main thread's connection is open. The writer thread boots meanwhile
 * (a new isolate and the native module) and takes writes as soon as it is up; writes
 * issued before that simply wait for it.
 */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<Storage> {
  return new SqliteStorage(opts.path);
}

export class SqliteStorage implements Storage {
  readonly backend = 'sqlite';
  private readonly db: Database;
  private readonly queries: Queries;
  private readonly writer: Writer;
  private readonly hub: WatchHub;
  /**
   * The newest revision whose group this thread has seen committed: the default read
   * revision and the watch switch point. Events up to it are published, later ones will be.
   */
  private revision: number;
  private compacted: number;
  /** Set once closing starts or the writer died; calls fail with it. */
  private closed: StorageError | undefined;
  private closing: Promise<void> | undefined;

  constructor(path: string) {
    // Schema first, so the writer thread never waits on this connection's schema locks;
    // the writer then boots (a new isolate and the native module) while startup goes on.
    this.db = openConnection(path, { readOnly: true });
    try {
      this.queries = new Queries(this.db);
      // No writer runs yet, so this is the writer's starting point too.
      this.revision = this.queries.maxRevision.get()?.rev ?? 0;
      this.compacted = this.queries.getMeta.get(metaCompactRevision)?.value ?? 0;
      this.hub = new WatchHub((prefix, after, upTo, limit) => this.readHistory(prefix, after, upTo, limit));
      const hooks: WriterHooks = {
        committed: (events, revision) => {
          this.revision = revision;
          this.hub.publish(events);
        },
        failed: (err) => {
          this.closed ??= err;
          this.hub.closeAll(err);
        },
      };
      this.writer = new WriterThread(path, hooks);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.ensureOpen();
    // At the announced revision: a group the writer committed but this thread has not yet
    // heard of stays invisible, so no read runs ahead of currentRevision() and the watches.
    const row = this.queries.latestAt.get(key, this.revision);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const revision = this.readRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const after = opts.startAfter !== undefined && opts.startAfter >= prefix ? opts.startAfter : '';
    // One extra row tells whether more follow. NOTE: with no startAfter, `name > ''` is
    // always true, since the empty key is never stored.
    const rows = this.queries.list(prefix, prefixEnd(prefix), after, revision, limit < 0 ? -1 : limit + 1);
    const more = limit >= 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(toKeyValue), revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    return this.queries.count(prefix, prefixEnd(prefix), this.revision);
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.write({ type: 'create', key, value });
  }

  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.write({ type: 'update', key, value, expected: expectedModRevision });
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write({ type: 'delete', key, expected: expectedModRevision });
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    if (this.closed) return WatchHub.failLater(handlers, this.closed);
    if (afterRevision < this.compacted) return WatchHub.failLater(handlers, new CompactedError(afterRevision, this.compacted));
    if (afterRevision > this.revision) return WatchHub.failLater(handlers, new FutureRevisionError(afterRevision, this.revision));
    return this.hub.subscribe(prefix, afterRevision, this.revision, handlers);
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision <= this.compacted) return;
    // From now on reads below `revision` fail instead of seeing holes; the writer records
    // it durably before it deletes any row.
    this.compacted = revision;
    await this.writer.compact(revision);
  }

  async currentRevision(): Promise<number> {
    this.ensureOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.ensureOpen();
    return this.compacted;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed ??= new StorageClosedError();
      // Writes already issued still commit and settle; their watchers still hear of them.
      await this.writer.close();
      this.hub.closeAll(this.closed);
      this.db.close();
    })();
    return this.closing;
  }

  private write(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(this.closed);
    return this.writer.write(op);
  }

  private readRevision(revision: number | undefined): number {
    if (!revision) return this.revision;
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    return revision;
  }

  private readHistory(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    if (this.closed) throw this.closed;
    if (after < this.compacted) throw new CompactedError(after, this.compacted);
    return this.queries.history(prefix, prefixEnd(prefix), after, upTo, limit).map(toEvent);
  }

  private ensureOpen(): void {
    if (this.closed) throw this.closed;
  }
}

function toKeyValue(row: KvRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}

function toEvent(row: HistoryRow): WatchEvent {
  const type = row.deleted ? 'delete' : row.created ? 'create' : 'update';
  const event: WatchEvent = { type, kv: toKeyValue(row), revision: row.id };
  if (type !== 'create' && row.p_id !== null) {
    event.prevKv = { key: row.name, value: row.p_value!, createRevision: row.p_create_revision!, modRevision: row.p_id };
  }
  return event;
}
