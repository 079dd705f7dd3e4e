/**
 * The watch cache: the current objects of one resource plus a ring of its recent events,
 * fed only by the store's watch stream (never by the local write path), so several servers
 * sharing one store see each other's writes. LIST, GET and WATCH are served from here.
 *
 * One `CacheSet` holds one store watch over the whole `/registry/` prefix and dispatches
 * events to the per-resource caches by key prefix. Every event advances the revision of
 * every cache, so "the cache has caught up with revision R" is one comparison.
 */
import type { KubeObject } from '../api/object.js';
import type { Logger } from '../base/logger.js';
import type { Clock } from '../base/clock.js';
import type { Storage, Watch, WatchEvent } from '../storage/interface.js';
import { CompactedError } from '../storage/interface.js';

export interface CachedObject {
  key: string;
  obj: KubeObject;
  /** The object's JSON as stored (resourceVersion filled in). */
  json: string;
  rv: number;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: EventType;
  /** For DELETED: the last state of the object, with resourceVersion = the delete's revision. */
  cur: CachedObject;
  prev?: CachedObject;
  rv: number;
}

export interface CacheWatcher {
  /** Receives events in order; returns false when the watcher wants to stop. */
  onEvent(ev: CacheEvent): void;
  /** The cache revision advanced without events for this resource. */
  onProgress?(rv: number): void;
  onClose(err?: Error): void;
}

/**
 * A cached object whose JSON is ready at once and whose parsed form is built on first use:
 * most events only need their JSON (watchers without selectors), so parsing waits.
 */
class LazyCachedObject implements CachedObject {
  private parsed: KubeObject | undefined;

  constructor(
    readonly key: string,
    readonly json: string,
    readonly rv: number,
  ) {}

  get obj(): KubeObject {
    return (this.parsed ??= JSON.parse(this.json) as KubeObject);
  }
}

/**
 * Where the text `"resourceVersion":"N"` goes in stored JSON: just before the closing brace of
 * the top-level `metadata` object, where JSON.stringify puts a key added last. Returns -1
 * when the text is not in the shape the store writes (compact JSON, a non-empty metadata
 * object, no resourceVersion yet), and the caller takes the parsing path.
 */
export function resourceVersionSpliceAt(value: string): number {
  if (value.charCodeAt(0) !== 0x7b /* { */) return -1;
  let depth = 0;
  let metaStart = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < value.length; i++) {
        const d = value.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      if (depth === 1 && metaStart < 0 && value.startsWith('"metadata":{', start) && i === start + 9) {
        metaStart = i + 2;
        i = metaStart;
        depth = 2;
        if (value.charCodeAt(metaStart + 1) === 0x7d /* } */) return -1;
      } else if (depth === 2 && metaStart >= 0 && i === start + 16 && value.startsWith('"resourceVersion":', start)) {
        return -1;
      }
    } else if (c === 0x7b || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d || c === 0x5d /* ] */) {
      depth--;
      if (depth === 1 && metaStart >= 0) return i;
    }
  }
  return -1;
}

/** Sets `metadata.resourceVersion` inside stored JSON (stored values carry none). */
export function decode(key: string, value: string, rv: number): CachedObject {
  const at = resourceVersionSpliceAt(value);
  if (at >= 0) return new LazyCachedObject(key, `${value.slice(0, at)},"resourceVersion":"${rv}"${value.slice(at)}`, rv);
  const obj = JSON.parse(value) as KubeObject;
  if (!obj.metadata) obj.metadata = {};
  obj.metadata.resourceVersion = String(rv);
  return { key, obj, json: JSON.stringify(obj), rv };
}

export class WatchCache {
  readonly items = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  private ring: CacheEvent[] = [];
  private ringStart = 0;
  private readonly watchers = new Set<CacheWatcher>();
  /** Watches from any revision >= oldest can be served from the ring. */
  private oldest = 0;
  revision = 0;
  ready = false;

  constructor(
    readonly prefix: string,
    private readonly capacity = 1024,
  ) {}

  /** Replaces the content with a full list taken at `revision`. */
  reset(items: CachedObject[], revision: number): void {
    this.items.clear();
    for (const it of items) this.items.set(it.key, it);
    this.sortedKeys = undefined;
    this.ring = [];
    this.ringStart = 0;
    this.oldest = revision;
    this.revision = revision;
    this.ready = true;
  }

  apply(ev: WatchEvent): void {
    const key = ev.kv.key;
    const prev = this.items.get(key);
    let ce: CacheEvent;
    if (ev.type === 'delete') {
      const last = prev ?? decode(key, ev.prevKv?.value ?? ev.kv.value, ev.revision);
      const cur = decode(key, prev ? prev.json : last.json, ev.revision);
      this.items.delete(key);
      this.sortedKeys = undefined;
      ce = { type: 'DELETED', cur, prev, rv: ev.revision };
    } else {
      const cur = decode(key, ev.kv.value, ev.revision);
      if (!prev) this.sortedKeys = undefined;
      this.items.set(key, cur);
      ce = { type: prev ? 'MODIFIED' : 'ADDED', cur, prev, rv: ev.revision };
    }
    this.push(ce);
    this.revision = ev.revision;
    for (const w of this.watchers) w.onEvent(ce);
  }

  advance(rv: number): void {
    if (rv <= this.revision) return;
    this.revision = rv;
    for (const w of this.watchers) w.onProgress?.(rv);
  }

  private push(ev: CacheEvent): void {
    if (this.ring.length - this.ringStart >= this.capacity) {
      this.oldest = this.ring[this.ringStart].rv;
      this.ringStart++;
      if (this.ringStart > this.capacity) {
        this.ring = this.ring.slice(this.ringStart);
        this.ringStart = 0;
      }
    }
    this.ring.push(ev);
  }

  get(key: string): CachedObject | undefined {
    return this.items.get(key);
  }

  /** Objects whose key starts with `subPrefix`, sorted by key (etcd's order). */
  list(subPrefix = this.prefix): CachedObject[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.items.keys()].sort();
    const keys = this.sortedKeys;
    if (subPrefix === this.prefix) return keys.map((k) => this.items.get(k)!);
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < subPrefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(subPrefix); i++) out.push(this.items.get(keys[i])!);
    return out;
  }

  /**
   * Registers a watcher that first receives every event after `afterRv` from the ring.
   * Throws CompactedError when the ring no longer reaches back that far.
   */
  watch(afterRv: number, w: CacheWatcher): () => void {
    if (afterRv < this.oldest) throw new CompactedError(afterRv, this.oldest);
    for (let i = this.ringStart; i < this.ring.length; i++) {
      if (this.ring[i].rv > afterRv) w.onEvent(this.ring[i]);
    }
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /** Registers a watcher for live events only. */
  subscribe(w: CacheWatcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  closeAll(err?: Error): void {
    for (const w of this.watchers) w.onClose(err);
    this.watchers.clear();
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}

interface Waiter {
  rv: number;
  resolve: () => void;
}

export class CacheSet {
  private readonly caches = new Map<string, WatchCache>();
  private watch: Watch | undefined;
  revision = 0;
  private waiters: Waiter[] = [];
  private pendingAdds = new Map<string, WatchEvent[]>();
  private closed = false;

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly root = '/registry/',
  ) {}

  async start(prefixes: string[]): Promise<void> {
    const rev = await this.storage.currentRevision();
    for (const p of prefixes) if (!this.caches.has(p)) this.caches.set(p, new WatchCache(p));
    // One paged read of the whole registry at one revision, split by resource prefix.
    const byPrefix = new Map<string, CachedObject[]>(prefixes.map((p) => [p, []]));
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.storage.list(this.root, { revision: rev || undefined, limit: 10000, startAfter });
      for (const kv of page.items) {
        const cache = this.cacheForKey(kv.key);
        if (cache) byPrefix.get(cache.prefix)?.push(decode(kv.key, kv.value, kv.modRevision));
      }
      if (!page.more || page.items.length === 0) break;
      startAfter = page.items[page.items.length - 1].key;
    }
    for (const [p, items] of byPrefix) this.caches.get(p)!.reset(items, rev);
    this.revision = rev;
    this.startWatch(rev);
  }

  private async load(prefix: string, rev: number): Promise<WatchCache> {
    const cache = this.caches.get(prefix) ?? new WatchCache(prefix);
    this.caches.set(prefix, cache);
    const items: CachedObject[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.storage.list(prefix, { revision: rev || undefined, limit: 10000, startAfter });
      for (const kv of page.items) items.push(decode(kv.key, kv.value, kv.modRevision));
      if (!page.more || page.items.length === 0) break;
      startAfter = page.items[page.items.length - 1].key;
    }
    cache.reset(items, rev);
    return cache;
  }

  private queued: WatchEvent[] = [];
  private queuedProgress = 0;
  private flushScheduled = false;

  /**
   * Store events are applied on the next turn of the event loop, not inside the store's
   * commit: the writer's response goes out first and the fan-out to watchers follows.
   */
  private enqueue(events: WatchEvent[], progress = 0): void {
    for (const ev of events) this.queued.push(ev);
    if (progress > this.queuedProgress) this.queuedProgress = progress;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.queued;
      const rv = this.queuedProgress;
      this.queued = [];
      this.queuedProgress = 0;
      if (this.closed) return;
      if (batch.length) this.dispatch(batch);
      if (rv) this.progress(rv);
    });
  }

  private startWatch(after: number): void {
    this.watch = this.storage.watch(this.root, after, {
      onEvents: (events) => this.enqueue(events),
      onProgress: (rv) => this.enqueue([], rv),
      onError: (err) => void this.recover(err),
    });
  }

  /** The store watch broke (e.g. compacted while we lagged): relist everything and resume. */
  private async recover(err: Error): Promise<void> {
    if (this.closed) return;
    this.log.warn('store watch ended; relisting', { error: err });
    for (const c of this.caches.values()) c.closeAll(err);
    try {
      const rev = await this.storage.currentRevision();
      await Promise.all([...this.caches.keys()].map((p) => this.load(p, rev)));
      this.revision = rev;
      this.startWatch(rev);
      this.progress(rev);
    } catch (e) {
      this.log.error('relist failed; retrying', { error: e });
      this.clock.setTimeout(() => void this.recover(e as Error), 1000);
    }
  }

  private cacheForKey(key: string): WatchCache | undefined {
    // Resource prefixes look like /registry/<a>/ or /registry/<a>/<b>/ (group-qualified).
    const rest = key.slice(this.root.length);
    const first = rest.indexOf('/');
    const one = this.caches.get(this.root + rest.slice(0, first + 1));
    if (one) return one;
    const second = rest.indexOf('/', first + 1);
    return second > 0 ? this.caches.get(this.root + rest.slice(0, second + 1)) : undefined;
  }

  private dispatch(events: WatchEvent[]): void {
    for (const ev of events) {
      const cache = this.cacheForKey(ev.kv.key);
      if (cache) {
        const pending = this.pendingAdds.get(cache.prefix);
        if (pending) pending.push(ev);
        else if (ev.revision > cache.revision) cache.apply(ev);
      }
      this.revision = Math.max(this.revision, ev.revision);
    }
    this.progress(this.revision);
  }

  private progress(rv: number): void {
    if (rv > this.revision) this.revision = rv;
    for (const c of this.caches.values()) if (!this.pendingAdds.has(c.prefix)) c.advance(this.revision);
    if (this.waiters.length) {
      const due = this.waiters.filter((w) => w.rv <= this.revision);
      this.waiters = this.waiters.filter((w) => w.rv > this.revision);
      for (const w of due) w.resolve();
    }
  }

  /** The cache of a resource prefix; created (and filled) on first use for dynamic resources. */
  async cache(prefix: string): Promise<WatchCache> {
    const existing = this.caches.get(prefix);
    if (existing) {
      if (!existing.ready) await this.waitReady(existing);
      return existing;
    }
    // Buffer events for this prefix while the initial list runs at the current revision.
    this.pendingAdds.set(prefix, []);
    const rev = this.revision;
    try {
      const cache = await this.load(prefix, rev);
      for (const ev of this.pendingAdds.get(prefix) ?? []) if (ev.revision > rev) cache.apply(ev);
      cache.advance(this.revision);
      return cache;
    } finally {
      this.pendingAdds.delete(prefix);
    }
  }

  private async waitReady(c: WatchCache): Promise<void> {
    while (!c.ready) await new Promise<void>((r) => this.clock.setTimeout(r, 5));
  }

  /** Drops a cache (a resource was removed from the table). */
  drop(prefix: string): void {
    const c = this.caches.get(prefix);
    if (!c) return;
    c.closeAll();
    this.caches.delete(prefix);
  }

  /** Resolves once every event up to `rv` has been applied. */
  waitFor(rv: number, timeoutMs: number): Promise<boolean> {
    if (rv <= this.revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w: Waiter = { rv, resolve: () => {
        t.cancel();
        resolve(true);
      } };
      const t = this.clock.setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits until the caches reflect every write acknowledged before this call. */
  async waitFresh(timeoutMs = 3000): Promise<boolean> {
    const rv = await this.storage.currentRevision();
    return this.waitFor(rv, timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.watch?.close();
    for (const c of this.caches.values()) c.closeAll();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }
}
