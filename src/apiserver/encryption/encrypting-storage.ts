/**
 * A Storage wrapper that encrypts values under one key prefix (`/registry/secrets/`) on the
 * way in and decrypts them on the way out (get, list, delete results, watch events), so the
 * generic store, the watch cache and everything above see plain objects while the backend
 * (sqlite file, etcd) holds only ciphertext. Other keys pass through untouched.
 *
 * Key rotation: the generic store skips an update that changes nothing, so a PUT of the same
 * Secret cannot move it to a new key (upstream forces such writes through its "stale" flag).
 * Instead `reencrypt()` rewrites every value not written with the primary key, directly at this
 * layer with compare-and-swap on its modRevision; watchers see a MODIFIED event with an
 * unchanged object and a new resourceVersion, as upstream's rewrite produces.
 */
import { readEncryptionConfig, type EncryptionConfiguration } from './encryption-config.js';
import { IDENTITY, ValueTransformer, type KeyUse } from './value-transformer.js';
import { ConflictError, NotFoundError, type KeyValue, type ListOptions, type ListResult, type Storage, type Watch, type WatchEvent, type WatchHandlers } from '../../storage/interface.js';

export const SECRETS_PREFIX = '/registry/secrets/';

export interface EncryptingStorageOptions {
  /** The key file; re-read by `reload()` and when a value names a key this process does not know. */
  configPath?: string;
  config: EncryptionConfiguration;
  prefix?: string;
}

export interface KeyUsage {
  primaryKey: string;
  /** Number of stored values per key name (`identity` = plain text). */
  byKey: Record<KeyUse, number>;
}

export class EncryptingStorage implements Storage {
  private transformer: ValueTransformer;
  private readonly prefix: string;

  constructor(
    private readonly inner: Storage,
    private readonly opts: EncryptingStorageOptions,
  ) {
    this.transformer = new ValueTransformer(opts.config);
    this.prefix = opts.prefix ?? SECRETS_PREFIX;
  }

  get backend(): string {
    return this.inner.backend;
  }

  /** Re-reads the key file (after `skiff secrets-encrypt rotate-keys` wrote a new primary key). */
  reload(): void {
    if (this.opts.configPath) this.transformer = new ValueTransformer(readEncryptionConfig(this.opts.configPath));
  }

  primaryKey(): string {
    return this.transformer.primary?.name ?? IDENTITY;
  }

  private covers(key: string): boolean {
    return key.startsWith(this.prefix);
  }

  private encrypt(key: string, value: string): string {
    return this.covers(key) ? this.transformer.encrypt(key, value) : value;
  }

  private decrypt(key: string, value: string): string {
    if (!this.covers(key)) return value;
    if (this.transformer.keyOf(value) === undefined && this.opts.configPath) this.reload();
    return this.transformer.decrypt(key, value);
  }

  private open(kv: KeyValue): KeyValue;
  private open(kv: KeyValue | undefined): KeyValue | undefined;
  private open(kv: KeyValue | undefined): KeyValue | undefined {
    if (!kv || !this.covers(kv.key)) return kv;
    return { ...kv, value: this.decrypt(kv.key, kv.value) };
  }

  async get(key: string): Promise<KeyValue | undefined> {
    return this.open(await this.inner.get(key));
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    const r = await this.inner.list(prefix, opts);
    return { ...r, items: r.items.map((kv) => this.open(kv)) };
  }

  count(prefix: string): Promise<number> {
    return this.inner.count(prefix);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const kv = await this.inner.create(key, this.encrypt(key, value));
    return { ...kv, value };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const kv = await this.inner.update(key, this.encrypt(key, value), expectedModRevision);
    return { ...kv, value };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.open(await this.inner.delete(key, expectedModRevision));
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    let failed = false;
    let w: Watch | undefined;
    w = this.inner.watch(prefix, afterRevision, {
      onEvents: (events) => {
        if (failed) return;
        let out: WatchEvent[];
        try {
          out = events.map((e) => ({ ...e, kv: this.open(e.kv), prevKv: this.open(e.prevKv) }));
        } catch (err) {
          // An undecryptable value ends the watch; the watch cache relists and reports it.
          failed = true;
          w?.close();
          handlers.onError(err as Error);
          return;
        }
        handlers.onEvents(out);
      },
      onError: (err) => {
        if (!failed) handlers.onError(err);
      },
      onProgress: handlers.onProgress && ((rev) => handlers.onProgress!(rev)),
    });
    return w;
  }

  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }

  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** How many stored values each key wrote (read from the backend, not the cache). */
  async keyUsage(): Promise<KeyUsage> {
    const byKey: Record<KeyUse, number> = {};
    for await (const kv of this.rawValues()) {
      const k = this.transformer.keyOf(kv.value) ?? 'unknown';
      byKey[k] = (byKey[k] ?? 0) + 1;
    }
    return { primaryKey: this.primaryKey(), byKey };
  }

  /**
   * Rewrites every value under the prefix that the primary key did not write. A concurrent
   * write wins the compare-and-swap and is itself encrypted with the primary key, so a
   * conflict only needs a re-read. Returns how many values were rewritten.
   */
  async reencrypt(): Promise<{ rewritten: number; total: number }> {
    this.reload();
    let rewritten = 0;
    let total = 0;
    for await (const first of this.rawValues()) {
      total++;
      let kv: KeyValue | undefined = first;
      while (kv && this.transformer.isStale(kv.value)) {
        try {
          await this.inner.update(kv.key, this.transformer.encrypt(kv.key, this.decrypt(kv.key, kv.value)), kv.modRevision);
          rewritten++;
          break;
        } catch (err) {
          if (err instanceof NotFoundError) break;
          if (!(err instanceof ConflictError)) throw err;
          kv = await this.inner.get(kv.key);
        }
      }
    }
    return { rewritten, total };
  }

  private async *rawValues(): AsyncGenerator<KeyValue> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.inner.list(this.prefix, { limit: 500, startAfter });
      yield* page.items;
      if (!page.more || page.items.length === 0) return;
      startAfter = page.items[page.items.length - 1].key;
    }
  }
}
