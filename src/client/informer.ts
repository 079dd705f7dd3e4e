/**
 * Informers (client-go tools/cache): a reflector lists then watches one resource, keeps a local
 * indexed store, and tells handlers about adds, updates and deletes. Handlers should only
 * enqueue keys. A watch that ends is resumed from the last resourceVersion; 410 Gone relists.
 */
import type { KubeObject } from '../api/object.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient, WatchEvent } from './client.js';
import { isGone } from './errors.js';
import type { ResourceRef } from './resources.js';

export interface EventHandlers<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => string[];

/** `namespace/name`, or `name` for cluster-scoped objects (client-go MetaNamespaceKeyFunc). */
export function keyOf(obj: Pick<KubeObject, 'metadata'>): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const NAMESPACE_INDEX = 'namespace';

/** The informer's local store with indexes; objects in it must be treated as read-only. */
export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndexer(NAMESPACE_INDEX, (o) => (o.metadata.namespace ? [o.metadata.namespace] : []));
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(index, v, key);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  byIndex(name: string, value: string): T[] {
    const keys = this.indices.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.items.get(k)!).filter(Boolean);
  }

  /** Objects in one namespace (all when namespace is undefined). */
  listNamespace(namespace?: string): T[] {
    return namespace === undefined ? this.list() : this.byIndex(NAMESPACE_INDEX, namespace);
  }

  get size(): number {
    return this.items.size;
  }

  set(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) for (const v of fn(obj)) addTo(this.indices.get(name)!, v, key);
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = index.get(v);
        set?.delete(key);
        if (set && set.size === 0) index.delete(v);
      }
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(key);
}

export interface InformerOptions {
  client: ApiClient;
  resource: ResourceRef;
  clock: Clock;
  log: Logger;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Periodic onUpdate(obj, obj) for every object; 0 = none. */
  resyncMs?: number;
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly store = new Indexer<T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private lastRv = '';
  private started = false;
  readonly resource: ResourceRef;

  constructor(private readonly opts: InformerOptions) {
    this.resource = opts.resource;
  }

  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
    // Late handlers see the current content as adds, as in client-go.
    if (this.synced) for (const obj of this.store.list()) h.onAdd?.(obj);
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.syncWaiters.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /** Runs until the signal aborts. */
  start(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    void this.run(signal);
    if (this.opts.resyncMs) {
      const t = this.opts.clock.setInterval(() => {
        for (const obj of this.store.list()) for (const h of this.handlers) h.onUpdate?.(obj, obj);
      }, this.opts.resyncMs);
      signal.addEventListener('abort', () => t.cancel(), { once: true });
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { client, resource, namespace, labelSelector, fieldSelector, clock, log } = this.opts;
    let failures = 0;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          const list = await client.listAll<T>(resource, namespace, { labelSelector, fieldSelector });
          if (signal.aborted) return;
          this.replace(list.items, list.metadata.resourceVersion ?? '');
          needList = false;
        }
        let gone = false;
        await client.watch<T>(
          resource,
          namespace,
          { labelSelector, fieldSelector, resourceVersion: this.lastRv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
          (ev) => {
            if (ev.type === 'ERROR') {
              const status = ev.object as unknown as { code?: number; reason?: string };
              if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') gone = true;
              return;
            }
            this.apply(ev);
          },
          signal,
        );
        if (gone) needList = true;
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err)) needList = true;
        else {
          failures++;
          log.debug('reflector error; retrying', { resource: resource.resource, error: err });
          needList = true;
          try {
            await clock.sleep(Math.min(30_000, 200 * 2 ** Math.min(failures, 8)), signal);
          } catch {
            return;
          }
        }
      }
    }
  }

  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object;
    if (obj?.metadata?.resourceVersion) this.lastRv = obj.metadata.resourceVersion;
    if (ev.type === 'BOOKMARK') return;
    if (ev.type === 'DELETED') {
      const old = this.store.delete(keyOf(obj));
      for (const h of this.handlers) h.onDelete?.(old ?? obj);
      return;
    }
    const old = this.store.set(obj);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  /** Replaces the store with a fresh list, telling handlers what changed. */
  private replace(items: T[], rv: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.store.set(obj);
      for (const h of this.handlers) {
        if (!old) h.onAdd?.(obj);
        else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) h.onUpdate?.(old, obj);
      }
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const old = this.store.delete(key)!;
      for (const h of this.handlers) h.onDelete?.(old);
    }
    this.lastRv = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** Test support: seeds the store as a completed list would. */
  seed(items: T[]): void {
    this.replace(items, '');
  }
}

/** Shares one informer per resource among the components of a process. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer>();
  private signal: AbortSignal | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  forResource<T extends KubeObject = KubeObject>(resource: ResourceRef, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}): Informer<T> {
    const key = `${resource.group}/${resource.version}/${resource.resource}?${opts.namespace ?? ''}&${opts.labelSelector ?? ''}&${opts.fieldSelector ?? ''}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer({ client: this.client, resource, clock: this.clock, log: this.log, ...opts });
      this.informers.set(key, inf);
      if (this.signal) inf.start(this.signal);
    }
    return inf as unknown as Informer<T>;
  }

  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const inf of this.informers.values()) inf.start(signal);
  }

  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }
}
