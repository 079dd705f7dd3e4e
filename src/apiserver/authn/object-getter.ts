/**
 * Reads the objects tokens are bound to (ServiceAccounts, Pods, Secrets, Nodes) through the
 * server's watch cache, so authenticating a request costs no store round trip.
 */
import type { KubeObject } from '../../api/object.js';
import type { ServerParts } from '../handlers/context.js';

export type TokenObjectResource = 'serviceaccounts' | 'pods' | 'secrets' | 'nodes';

export interface ObjectGetter {
  get(resource: TokenObjectResource, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
}

/** `parts` is asked lazily: authenticators are built before the server they read from. */
export function watchCacheGetter(parts: () => Pick<ServerParts, 'bound' | 'caches'>): ObjectGetter {
  return {
    async get(resource, namespace, name) {
      const p = parts();
      const b = p.bound('', 'v1', resource);
      if (!b) return undefined;
      const cache = await p.caches.cache(b.prefix);
      const key = b.store.key(b.rt.namespaced ? namespace : undefined, name);
      let hit = cache.get(key);
      if (!hit) {
        // Created a moment ago (e.g. the Secret of a token just made): let the cache catch up.
        await p.caches.waitFresh(1000);
        hit = cache.get(key);
      }
      return hit?.obj;
    },
  };
}

/** An in-memory getter for tests: objects keyed `resource/namespace/name`. */
export function mapGetter(objects: Map<string, KubeObject>): ObjectGetter {
  return { get: async (resource, namespace, name) => objects.get(`${resource}/${namespace ?? ''}/${name}`) };
}
