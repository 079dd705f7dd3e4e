/**
 * Objects every cluster has from its first start (upstream's system namespaces). Idempotent:
 * existing objects are left alone, so restarts and several servers are safe.
 */
import type { KubeObject } from '../api/object.js';
import { StatusError } from '../api/status.js';
import type { ServerParts } from './handlers/context.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrapObjects(parts: ServerParts): Promise<void> {
  const ns = parts.bound('', 'v1', 'namespaces');
  if (!ns) return;
  const cache = await parts.caches.cache(ns.prefix);
  for (const name of SYSTEM_NAMESPACES) {
    // A restart finds them: skip the write path (and the type registry it would build).
    if (cache.get(ns.store.key(undefined, name))) continue;
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    try {
      await ns.store.create(obj, { manager: 'skiff-apiserver', dryRun: false });
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}
