/**
 * The default Storage: SQLite through better-sqlite3, one row per revision (see schema.ts).
 * All writes to a database go through this process, so watch events come straight from the
 * write path after commit; history for watches from a past revision is read from the table.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError,
  StorageClosedError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  type Watch,
  type WatchEvent,
  type WatchHandlers,
} from '../interface.js';
import { prefixEnd } from '../key-range.js';
import { WatchHub } from '../watch-hub.js';
import { compactHistory } from './compaction.js';
import { Queries, type HistoryRow, type KvRow } from './queries.js';
import { applySchema, metaCompactRevision } from './schema.js';
import { WriteBatcher } from './write-batcher.js';

export interface SqliteStorageOptions {
  /** Database file; its folder is created when missing. */
  path: string;
}

export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<Storage> {
  mkdirSync(dirname(opts.path), { recursive: true });
  const db = new BetterSqlite3(opts.path);
  try {
    applySchema(db);
    return new SqliteStorage(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

export class SqliteStorage implements Storage {
  readonly backend = 'sqlite';
  private readonly queries: Queries;
  private readonly writes: WriteBatcher;
  private readonly hub: WatchHub;
  private revision: number;
  private compacted: number;
  /** Events of the group being committed, published once it is durable. */
  private pendingEvents: WatchEvent[] = [];
  private compacting: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly db: Database) {
    this.queries = new Queries(db);
    this.revision = this.queries.maxRevision.get()?.rev ?? 0;
    this.compacted = this.queries.getMeta.get(metaCompactRevision)?.value ?? 0;
    this.hub = new WatchHub((prefix, after, upTo, limit) => this.readHistory(prefix, after, upTo, limit));
    this.writes = new WriteBatcher(db, {
      begin: () => {
        const before = this.revision;
        return () => {
          this.revision = before;
          this.pendingEvents = [];
        };
      },
      committed: () => {
        const events = this.pendingEvents;
        this.pendingEvents = [];
        this.hub.publish(events);
      },
    });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.ensureOpen();
    const row = this.queries.latest.get(key);
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
    return this.queries.count(prefix, prefixEnd(prefix));
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.write(() => {
      const prev = this.queries.latest.get(key);
      if (prev && !prev.deleted) throw new KeyExistsError(key);
      const revision = this.revision + 1;
      return this.append(key, value, revision, 'create', prev);
    });
  }

  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.write(() => {
      const prev = this.liveRow(key, expectedModRevision);
      return this.append(key, value, prev.create_revision, 'update', prev);
    });
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write(() => {
      const prev = this.liveRow(key, expectedModRevision);
      return this.append(key, prev.value, prev.create_revision, 'delete', prev);
    });
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    if (this.closed) return WatchHub.failLater(handlers, new StorageClosedError());
    if (afterRevision < this.compacted) return WatchHub.failLater(handlers, new CompactedError(afterRevision, this.compacted));
    if (afterRevision > this.revision) return WatchHub.failLater(handlers, new FutureRevisionError(afterRevision, this.revision));
    return this.hub.subscribe(prefix, afterRevision, this.revision, handlers);
  }

  compact(revision: number): Promise<void> {
    const run = async () => {
      this.ensureOpen();
      if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
      if (revision <= this.compacted) return;
      // Recorded first: from now on reads below `revision` fail instead of seeing holes.
      this.queries.setMeta.run(metaCompactRevision, revision);
      this.compacted = revision;
      await compactHistory(this.db, this.queries, revision, () => this.closed);
    };
    const result = this.compacting.then(run, run);
    this.compacting = result.catch(() => {});
    return result;
  }

  async currentRevision(): Promise<number> {
    this.ensureOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.ensureOpen();
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.drained();
    await this.compacting;
    this.hub.closeAll(new StorageClosedError());
    this.db.close();
  }

  private write(run: () => KeyValue): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new StorageClosedError());
    return this.writes.submit(run);
  }

  /** Runs inside the group transaction. */
  private append(key: string, value: string, createRevision: number, type: WatchEvent['type'], prev: KvRow | undefined): KeyValue {
    const revision = this.revision + 1;
    this.queries.insert.run(revision, key, type === 'create' ? 1 : 0, type === 'delete' ? 1 : 0, createRevision, prev?.id ?? 0, value);
    this.revision = revision;
    const kv: KeyValue = { key, value, createRevision, modRevision: revision };
    const event: WatchEvent = { type, kv, revision };
    if (type !== 'create' && prev) event.prevKv = toKeyValue(prev);
    this.pendingEvents.push(event);
    return kv;
  }

  private liveRow(key: string, expectedModRevision: number | undefined): KvRow {
    const row = this.queries.latest.get(key);
    if (!row || row.deleted) throw new NotFoundError(key);
    if (expectedModRevision !== undefined && row.id !== expectedModRevision) {
      throw new ConflictError(key, expectedModRevision, row.id);
    }
    return row;
  }

  private readRevision(revision: number | undefined): number {
    if (!revision) return this.revision;
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    return revision;
  }

  private readHistory(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    if (this.closed) throw new StorageClosedError();
    if (after < this.compacted) throw new CompactedError(after, this.compacted);
    return this.queries.history(prefix, prefixEnd(prefix), after, upTo, limit).map(toEvent);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageClosedError();
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
