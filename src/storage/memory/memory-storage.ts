/**
 * In-memory Storage for unit tests. It keeps a full revision log, so watch-from-revision,
 * list-at-revision and compaction behave like the durable backends.
 * NOTE: not modelled — durability, sharing between processes, and memory bounds
 * (history grows until compact() is called).
 */
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
import { hasPrefix } from '../key-range.js';
import { WatchHub } from '../watch-hub.js';

/** One write: the state of `key` from `revision` on. */
interface Row {
  revision: number;
  key: string;
  value: string;
  createRevision: number;
  deleted: boolean;
  created: boolean;
  prev?: Row;
}

export class MemoryStorage implements Storage {
  readonly backend = 'memory';
  private revision = 0;
  private compacted = 0;
  private closed = false;
  /** Every row in revision order (compaction removes superseded ones). */
  private log: Row[] = [];
  /** Rows of each key in revision order. */
  private history = new Map<string, Row[]>();
  private readonly hub = new WatchHub((prefix, after, upTo, limit) => this.readHistory(prefix, after, upTo, limit));

  async get(key: string): Promise<KeyValue | undefined> {
    this.ensureOpen();
    const row = this.latest(key);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const at = this.checkReadRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const keys = [...this.history.keys()]
      .filter((k) => hasPrefix(k, prefix) && (opts.startAfter === undefined || k > opts.startAfter))
      .sort(compareKeys);
    const items: KeyValue[] = [];
    let more = false;
    for (const key of keys) {
      const row = rowAt(this.history.get(key)!, at);
      if (!row || row.deleted) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(toKeyValue(row));
    }
    return { items, revision: at, more };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    let n = 0;
    for (const [key, rows] of this.history) {
      if (hasPrefix(key, prefix) && !rows[rows.length - 1].deleted) n++;
    }
    return n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.ensureOpen();
    const prev = this.latest(key);
    if (prev && !prev.deleted) throw new KeyExistsError(key);
    const revision = this.revision + 1;
    return toKeyValue(this.append({ revision, key, value, createRevision: revision, deleted: false, created: true }));
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.ensureOpen();
    const prev = this.liveRow(key, expectedModRevision);
    const row = { revision: this.revision + 1, key, value, createRevision: prev.createRevision, deleted: false, created: false, prev };
    return toKeyValue(this.append(row));
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.ensureOpen();
    const prev = this.liveRow(key, expectedModRevision);
    const row = { revision: this.revision + 1, key, value: prev.value, createRevision: prev.createRevision, deleted: true, created: false, prev };
    return toKeyValue(this.append(row));
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    if (this.closed) return WatchHub.failLater(handlers, new StorageClosedError());
    if (afterRevision < this.compacted) return WatchHub.failLater(handlers, new CompactedError(afterRevision, this.compacted));
    if (afterRevision > this.revision) return WatchHub.failLater(handlers, new FutureRevisionError(afterRevision, this.revision));
    return this.hub.subscribe(prefix, afterRevision, this.revision, handlers);
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision <= this.compacted) return;
    this.compacted = revision;
    for (const [key, rows] of this.history) {
      // Keep the newest row at or below `revision` unless it is a tombstone; drop older ones.
      let keepFrom = rows.findIndex((r) => r.revision > revision);
      if (keepFrom === -1) keepFrom = rows.length;
      const base = keepFrom - 1;
      const start = base >= 0 && !rows[base].deleted ? base : keepFrom;
      const kept = rows.slice(start);
      if (kept.length === 0) {
        this.history.delete(key);
      } else {
        // The first kept row's predecessor is gone; drop the reference so it can be freed.
        kept[0].prev = undefined;
        this.history.set(key, kept);
      }
    }
    const live = new Set<Row>();
    for (const rows of this.history.values()) for (const r of rows) live.add(r);
    this.log = this.log.filter((r) => live.has(r));
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
    this.hub.closeAll(new StorageClosedError());
  }

  private append(row: Row): Row {
    this.revision = row.revision;
    this.log.push(row);
    const rows = this.history.get(row.key);
    if (rows) rows.push(row);
    else this.history.set(row.key, [row]);
    this.hub.publish([toEvent(row)]);
    return row;
  }

  private liveRow(key: string, expectedModRevision: number | undefined): Row {
    const row = this.latest(key);
    if (!row || row.deleted) throw new NotFoundError(key);
    if (expectedModRevision !== undefined && row.revision !== expectedModRevision) {
      throw new ConflictError(key, expectedModRevision, row.revision);
    }
    return row;
  }

  private latest(key: string): Row | undefined {
    const rows = this.history.get(key);
    return rows?.[rows.length - 1];
  }

  private checkReadRevision(revision: number | undefined): number {
    if (!revision) return this.revision;
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    return revision;
  }

  private readHistory(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    if (after < this.compacted) throw new CompactedError(after, this.compacted);
    const events: WatchEvent[] = [];
    for (let i = firstAfter(this.log, after); i < this.log.length && events.length < limit; i++) {
      const row = this.log[i];
      if (row.revision > upTo) break;
      if (hasPrefix(row.key, prefix)) events.push(toEvent(row));
    }
    return events;
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageClosedError();
  }
}

export async function openMemoryStorage(): Promise<Storage> {
  return new MemoryStorage();
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rowAt(rows: Row[], revision: number): Row | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].revision <= revision) return rows[i];
  return undefined;
}

function firstAfter(log: Row[], revision: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid].revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toKeyValue(row: Row): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}

function toEvent(row: Row): WatchEvent {
  const type = row.deleted ? 'delete' : row.created ? 'create' : 'update';
  const event: WatchEvent = { type, kv: toKeyValue(row), revision: row.revision };
  if (!row.created && row.prev) event.prevKv = toKeyValue(row.prev);
  return event;
}
