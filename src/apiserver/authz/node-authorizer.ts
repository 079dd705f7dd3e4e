/**
 * The Node authorizer (upstream plugin/pkg/auth/authorizer/node): a node's credentials reach
 * the Secrets, ConfigMaps, claims, volumes and service-account tokens only of pods bound to
 * that node, only its own Lease and Node, and otherwise what the static node rules allow.
 * Upstream keeps a graph of pods and what they use; skiff asks the pod watch cache, which is
 * already indexed by namespace, at request time.
 */
import type { KubeObject } from '../../api/object.js';
import type { ServerParts } from '../handlers/context.js';
import { nodeRules } from '../rbac/default-policy.js';
import { rulesAllow } from '../rbac/rule-matching.js';
import type { PolicyRule } from '../rbac/types.js';
import type { Attributes, Authorizer, AuthorizerResult } from './types.js';
import { nodeNameOf } from './node-identity.js';
import { podReferences, type PodReferences } from './pod-references.js';

const ALLOW: AuthorizerResult = { decision: 'allow' };
const noOpinion = (reason?: string): AuthorizerResult => (reason ? { decision: 'no-opinion', reason } : { decision: 'no-opinion' });

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export function createNodeAuthorizer(partsOrGetter: ServerParts | (() => ServerParts), rules: PolicyRule[] = nodeRules()): Authorizer {
  const partsOf = typeof partsOrGetter === 'function' ? partsOrGetter : () => partsOrGetter;
  const cacheOf = async (group: string, plural: string) => {
    const parts = partsOf();
    const b = parts.bound(group, 'v1', plural);
    return b ? parts.caches.cache(b.prefix) : undefined;
  };

  /** References of the pods in `namespace` (every namespace when undefined) bound to `node`. */
  const podsOnNode = async (node: string, namespace: string | undefined): Promise<PodReferences[]> => {
    const parts = partsOf();
    const b = parts.bound('', 'v1', 'pods');
    if (!b) return [];
    const cache = await parts.caches.cache(b.prefix);
    const out: PodReferences[] = [];
    for (const it of cache.list(namespace ? `${b.prefix}${namespace}/` : b.prefix)) {
      const spec = it.obj.spec as { nodeName?: string } | undefined;
      if (spec?.nodeName === node) out.push(podReferences(it.obj as unknown as Record<string, unknown>));
    }
    return out;
  };

  const claimVolume = async (namespace: string, claim: string): Promise<string | undefined> => {
    const parts = partsOf();
    const b = parts.bound('', 'v1', 'persistentvolumeclaims');
    const cache = await cacheOf('', 'persistentvolumeclaims');
    const pvc = b && cache?.get(`${b.prefix}${namespace}/${claim}`)?.obj as KubeObject | undefined;
    return (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
  };

  const usedBy = async (node: string, a: Attributes, pick: (r: PodReferences) => boolean): Promise<AuthorizerResult> => {
    if (a.verb !== 'get' || !a.name) return noOpinion(`can only get individual resources of this type`);
    for (const refs of await podsOnNode(node, a.namespace)) if (pick(refs)) return ALLOW;
    return noOpinion(`no relationship found between node '${node}' and this object`);
  };

  const byResource = async (node: string, a: Attributes): Promise<AuthorizerResult | undefined> => {
    const core = a.apiGroup === '';
    if (core && a.resource === 'secrets') return usedBy(node, a, (r) => r.secrets.has(a.name));
    if (core && a.resource === 'configmaps') return usedBy(node, a, (r) => r.configMaps.has(a.name));
    if (core && a.resource === 'persistentvolumeclaims') {
      if (a.subresource === 'status') {
        if (a.verb !== 'update' && a.verb !== 'patch') return noOpinion('can only update or patch claim status');
        for (const refs of await podsOnNode(node, a.namespace)) if (refs.claims.has(a.name)) return ALLOW;
        return noOpinion(`no relationship found between node '${node}' and this object`);
      }
      return usedBy(node, a, (r) => r.claims.has(a.name));
    }
    if (core && a.resource === 'persistentvolumes') {
      if (a.verb !== 'get' || !a.name) return noOpinion('can only get individual resources of this type');
      // Claims are namespaced and pods name them without a namespace: look in each pod's own.
      for (const [ns, claims] of await claimsByNamespace(node)) {
        for (const c of claims) if ((await claimVolume(ns, c)) === a.name) return ALLOW;
      }
      return noOpinion(`no relationship found between node '${node}' and this object`);
    }
    if (core && a.resource === 'serviceaccounts' && a.subresource === 'token') {
      if (a.verb !== 'create') return noOpinion('can only create tokens for individual service accounts');
      for (const refs of await podsOnNode(node, a.namespace)) if (refs.serviceAccount === a.name) return ALLOW;
      return noOpinion(`no relationship found between node '${node}' and this object`);
    }
    if (a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') {
      if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
      if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the ${NODE_LEASE_NAMESPACE} system namespace`);
      if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
      return ALLOW;
    }
    if (a.apiGroup === 'storage.k8s.io' && a.resource === 'csinodes') {
      if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a CSINode');
      if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
      return ALLOW;
    }
    if (core && a.resource === 'nodes' && ['update', 'patch', 'delete'].includes(a.verb) && a.name !== node) {
      return noOpinion(`node '${node}' cannot modify node '${a.name}'`);
    }
    return undefined;
  };

  // Pods on the node by namespace, with the claims they name (for PersistentVolume reads).
  const claimsByNamespace = async (node: string): Promise<Map<string, Set<string>>> => {
    const parts = partsOf();
    const b = parts.bound('', 'v1', 'pods');
    const out = new Map<string, Set<string>>();
    if (!b) return out;
    const cache = await parts.caches.cache(b.prefix);
    for (const it of cache.list()) {
      if ((it.obj.spec as { nodeName?: string } | undefined)?.nodeName !== node) continue;
      const ns = it.obj.metadata.namespace ?? '';
      const set = out.get(ns) ?? new Set<string>();
      for (const c of podReferences(it.obj as unknown as Record<string, unknown>).claims) set.add(c);
      out.set(ns, set);
    }
    return out;
  };

  return {
    async authorize(a: Attributes): Promise<AuthorizerResult> {
      const node = nodeNameOf(a.user);
      if (!node) return noOpinion();
      if (a.resourceRequest) {
        const decided = await byResource(node, a);
        if (decided) return decided;
      }
      return rulesAllow(a, rules) ? ALLOW : noOpinion();
    },
  };
}
