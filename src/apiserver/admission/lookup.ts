/**
 * Reads for admission plugins, served by the server's watch cache (upstream plugins read
 * informer listers). A miss can mean the cache has not caught up with a write acknowledged
 * just before: `fresh` waits for the cache to reach the store's current revision first.
 */
import type { KubeObject } from '../../api/object.js';
import type { ServerParts } from '../handlers/context.js';

export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
}

export const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods' };
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces' };
export const SERVICE_ACCOUNTS: ResourceRef = { group: '', version: 'v1', plural: 'serviceaccounts' };
export const LIMIT_RANGES: ResourceRef = { group: '', version: 'v1', plural: 'limitranges' };
export const RESOURCE_QUOTAS: ResourceRef = { group: '', version: 'v1', plural: 'resourcequotas' };
export const PRIORITY_CLASSES: ResourceRef = { group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses' };
export const STORAGE_CLASSES: ResourceRef = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses' };

export class CachedReader {
  constructor(private readonly parts: ServerParts) {}

  async list(r: ResourceRef, namespace?: string): Promise<KubeObject[]> {
    const b = this.parts.bound(r.group, r.version, r.plural);
    if (!b) return [];
    const cache = await this.parts.caches.cache(b.prefix);
    return cache.list(namespace ? `${b.prefix}${namespace}/` : b.prefix).map((c) => c.obj);
  }

  async get(r: ResourceRef, namespace: string | undefined, name: string, opts: { fresh?: boolean } = {}): Promise<KubeObject | undefined> {
    const b = this.parts.bound(r.group, r.version, r.plural);
    if (!b) return undefined;
    const key = namespace ? `${b.prefix}${namespace}/${name}` : `${b.prefix}${name}`;
    let cache = await this.parts.caches.cache(b.prefix);
    const hit = cache.get(key)?.obj;
    if (hit || !opts.fresh) return hit;
    await this.parts.caches.waitFresh();
    cache = await this.parts.caches.cache(b.prefix);
    return cache.get(key)?.obj;
  }

  /** Waits until the caches reflect every write acknowledged so far. */
  async catchUp(): Promise<void> {
    await this.parts.caches.waitFresh();
  }

  get clock(): ServerParts['clock'] {
    return this.parts.clock;
  }
}
