/**
 * Storage on a real etcd v3 cluster; several skiff servers may share it. Every
 * precondition is a compare in one etcd transaction, so revisions and conflicts are decided
 * by etcd. Keys are stored as given, behind an optional prefix.
 */
import { Etcd3, type IKeyValue, type IResponseHeader, type Watcher } from 'etcd3';
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
import { isCompacted, isFutureRevision, mapRevisionError } from './etcd-errors.js';

export interface EtcdStorageOptions {
  endpoints: string[];
  /** Prepended to every key; lets several clusters share one etcd. */
  prefix?: string;
}

export async function openEtcdStorage(opts: EtcdStorageOptions): Promise<Storage> {
  const client = new Etcd3({ hosts: opts.endpoints });
  const storage = new EtcdStorage(client, opts.prefix ?? '');
  try {
    await storage.currentRevision();
  } catch (err) {
    client.close();
    throw err;
  }
  return storage;
}

const zero = Buffer.from([0]);

export class EtcdStorage implements Storage {
  readonly backend = 'etcd';
  private closed = false;
  /** Fails each open watch; used on close. */
  private readonly watchers = new Set<(err: Error) => void>();

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<KeyValue | undefined> {
    this.ensureOpen();
    const res = await this.client.kv.range({ key: this.k(key) });
    return res.kvs.length > 0 ? this.toKeyValue(res.kvs[0]) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const start = this.k(prefix);
    const from = opts.startAfter !== undefined && opts.startAfter >= prefix ? Buffer.concat([this.k(opts.startAfter), zero]) : start;
    const revision = opts.revision ?? 0;
    try {
      const res = await this.client.kv.range({
        key: from,
        range_end: rangeEnd(start),
        limit: opts.limit ?? 0,
        revision,
      });
      return { items: res.kvs.map((kv) => this.toKeyValue(kv)), revision: revision || Number(res.header.revision), more: res.more };
    } catch (err) {
      throw await this.revisionError(err, revision);
    }
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    const start = this.k(prefix);
    const res = await this.client.kv.range({ key: start, range_end: rangeEnd(start), count_only: true });
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.ensureOpen();
    const k = this.k(key);
    const res = await this.client.kv.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
    });
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = revisionOf(res.header);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.ensureOpen();
    const k = this.k(key);
    const res = await this.client.kv.txn({
      compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
      success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.preconditionError(key, expectedModRevision, res.responses[0].response_range.kvs);
    const prev = res.responses[0].response_put.prev_kv;
    const revision = revisionOf(res.header);
    return { key, value, createRevision: Number(prev?.create_revision ?? revision), modRevision: revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.ensureOpen();
    const k = this.k(key);
    const res = await this.client.kv.txn({
      compare:
        expectedModRevision === undefined
          ? [{ key: k, target: 'Create', result: 'Greater', create_revision: 0 }]
          : [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.preconditionError(key, expectedModRevision, res.responses[0].response_range.kvs);
    const prev = res.responses[0].response_delete_range.prev_kvs[0];
    return { key, value: prev.value.toString(), createRevision: Number(prev.create_revision), modRevision: revisionOf(res.header) };
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    let closed = false;
    let watcher: Watcher | undefined;
    const handle = {
      close: () => {
        if (closed) return;
        closed = true;
        this.watchers.delete(fail);
        void watcher?.cancel().catch(() => {});
      },
    };
    const fail = (err: Error) => {
      if (closed) return;
      handle.close();
      handlers.onError(err);
    };
    if (this.closed) {
      setImmediate(() => fail(new StorageClosedError()));
      return handle;
    }
    this.watchers.add(fail);
    const start = async () => {
      await this.checkWatchRevision(afterRevision);
      if (closed) return;
      const w = await this.client
        .watch()
        .prefix(this.k(prefix))
        .withPreviousKV()
        .startRevision(String(afterRevision + 1))
        .create();
      watcher = w;
      if (closed) {
        void w.cancel().catch(() => {});
        return;
      }
      w.on('data', (res) => {
        if (closed) return;
        if (res.events.length === 0) {
          handlers.onProgress?.(revisionOf(res.header));
          return;
        }
        const events = res.events.map((e) => this.toEvent(e.type, e.kv, e.prev_kv));
        try {
          handlers.onEvents(events);
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      });
      w.on('error', (err) => fail(isCompacted(err) ? new CompactedError(afterRevision, 0) : err));
    };
    start().catch((err) => fail(err));
    return handle;
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    try {
      await this.client.kv.compact({ revision, physical: true });
    } catch (err) {
      if (isCompacted(err)) return; // already compacted at or past `revision`
      if (isFutureRevision(err)) throw new FutureRevisionError(revision, await this.currentRevision());
      throw err;
    }
  }

  async currentRevision(): Promise<number> {
    this.ensureOpen();
    const res = await this.client.kv.range({ key: zero, count_only: true });
    return revisionOf(res.header);
  }

  /**
   * etcd does not report its compacted revision directly; it is the lowest revision a read
   * still succeeds at, found by bisection (log2(current) cheap count-only reads).
   */
  async compactedRevision(): Promise<number> {
    this.ensureOpen();
    const current = await this.currentRevision();
    if (await this.readableAt(1)) return 0;
    let lo = 1; // not readable
    let hi = current; // readable: the current revision always is
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readableAt(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const fail of [...this.watchers]) fail(new StorageClosedError());
    this.client.close();
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.client.kv.range({ key: zero, count_only: true, revision });
      return true;
    } catch (err) {
      if (isCompacted(err)) return false;
      throw err;
    }
  }

  /** A watch must start at or above the compacted revision and at or below the current one. */
  private async checkWatchRevision(afterRevision: number): Promise<void> {
    const current = await this.currentRevision();
    if (afterRevision > current) throw new FutureRevisionError(afterRevision, current);
    if (!(await this.readableAt(Math.max(afterRevision, 1)))) {
      throw new CompactedError(afterRevision, await this.compactedRevision());
    }
  }

  private async revisionError(err: unknown, requested: number): Promise<unknown> {
    if (isCompacted(err)) return mapRevisionError(err, requested, { compacted: await this.compactedRevision() });
    if (isFutureRevision(err)) return mapRevisionError(err, requested, { current: await this.currentRevision() });
    return err;
  }

  private preconditionError(key: string, expected: number | undefined, current: IKeyValue[]): Error {
    if (current.length === 0) return new NotFoundError(key);
    return new ConflictError(key, expected ?? 0, Number(current[0].mod_revision));
  }

  private k(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  private toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: kv.key.toString().slice(this.prefix.length),
      value: kv.value.toString(),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  private toEvent(type: 'Put' | 'Delete', kv: IKeyValue, prev: IKeyValue | undefined): WatchEvent {
    const revision = Number(kv.mod_revision);
    const prevKv = prev ? this.toKeyValue(prev) : undefined;
    if (type === 'Delete') {
      // etcd's delete event carries an empty value; the interface wants the value deleted.
      const kvBefore = prevKv ?? { ...this.toKeyValue(kv), createRevision: 0 };
      return { type: 'delete', kv: { ...kvBefore, modRevision: revision }, prevKv, revision };
    }
    const created = kv.create_revision === kv.mod_revision;
    const event: WatchEvent = { type: created ? 'create' : 'update', kv: this.toKeyValue(kv), revision };
    if (!created && prevKv) event.prevKv = prevKv;
    return event;
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageClosedError();
  }
}

function revisionOf(header: IResponseHeader): number {
  return Number(header.revision);
}

/** The end of the byte range of keys starting with `start`; [0] means "to the end". */
function rangeEnd(start: Buffer): Buffer {
  const end = Buffer.from(start);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return zero;
}
