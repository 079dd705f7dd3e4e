/**
 * Quota usage of a namespace's objects (upstream pkg/quota/v1/evaluator/core): which
 * resource names an object counts toward and by how much. Pure functions over plain objects.
 */
import type { KubeObject } from '../../api/object.js';
import { parseQuantity, type Quantity } from '../../api/quantity.js';

export type Usage = Map<string, Quantity>;

function q(s: string): Quantity | undefined {
  const p = parseQuantity(s);
  return p.ok ? p.quantity : undefined;
}

export function addTo(usage: Usage, name: string, value: Quantity | undefined): void {
  if (!value) return;
  const cur = usage.get(name);
  usage.set(name, cur ? cur.add(value) : value);
}

const ONE = () => q('1')!;

type ResourceList = Record<string, string>;

interface Container {
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

interface PodSpec {
  containers?: Container[];
  initContainers?: (Container & { restartPolicy?: string })[];
  overhead?: ResourceList;
  activeDeadlineSeconds?: number;
}

/** Counts toward `pods`, cpu and memory: not terminal, and not past its deletion grace period. */
export function podCountsTowardQuota(pod: KubeObject, now: number): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const m = pod.metadata;
  if (m.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined) {
    const at = Date.parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000;
    if (now > at) return false;
  }
  return true;
}

/** Effective pod requests or limits: max(sum of containers, largest init container) + overhead. */
export function podResources(spec: PodSpec, kind: 'requests' | 'limits'): Map<string, Quantity> {
  const sum = new Map<string, Quantity>();
  for (const c of spec.containers ?? []) for (const [k, v] of Object.entries(c.resources?.[kind] ?? {})) addTo(sum, k, q(v));
  // Sidecar (restartable) init containers run alongside the app containers.
  const sidecars = new Map<string, Quantity>();
  for (const c of spec.initContainers ?? []) {
    const own = new Map<string, Quantity>();
    for (const [k, v] of Object.entries(c.resources?.[kind] ?? {})) addTo(own, k, q(v));
    if (c.restartPolicy === 'Always') {
      for (const [k, v] of own) addTo(sidecars, k, v);
      continue;
    }
    for (const [k, v] of own) {
      const withSidecars = sidecars.get(k) ? v.add(sidecars.get(k)!) : v;
      const cur = sum.get(k);
      if (!cur || cur.cmp(withSidecars) < 0) sum.set(k, withSidecars);
    }
  }
  for (const [k, v] of sidecars) addTo(sum, k, v);
  for (const [k, v] of Object.entries(spec.overhead ?? {})) if (sum.has(k)) addTo(sum, k, q(v));
  return sum;
}

export function podUsage(pod: KubeObject, now: number): Usage {
  const u: Usage = new Map();
  addTo(u, 'count/pods', ONE());
  if (!podCountsTowardQuota(pod, now)) return u;
  addTo(u, 'pods', ONE());
  const spec = (pod.spec ?? {}) as PodSpec;
  // Every request counts as `requests.<name>`; the three core ones also under their bare names.
  for (const [k, v] of podResources(spec, 'requests')) {
    addTo(u, `requests.${k}`, v);
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') addTo(u, k, v);
  }
  for (const [k, v] of podResources(spec, 'limits')) if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') addTo(u, `limits.${k}`, v);
  return u;
}

export function serviceUsage(svc: KubeObject): Usage {
  const u: Usage = new Map();
  addTo(u, 'services', ONE());
  addTo(u, 'count/services', ONE());
  const spec = (svc.spec ?? {}) as { type?: string; ports?: { nodePort?: number }[]; allocateLoadBalancerNodePorts?: boolean };
  const ports = spec.ports ?? [];
  if (spec.type === 'NodePort') addTo(u, 'services.nodeports', q(String(ports.length)));
  if (spec.type === 'LoadBalancer') {
    const n = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
    addTo(u, 'services.nodeports', q(String(n)));
    addTo(u, 'services.loadbalancers', ONE());
  }
  return u;
}

export function pvcUsage(pvc: KubeObject): Usage {
  const u: Usage = new Map();
  addTo(u, 'persistentvolumeclaims', ONE());
  addTo(u, 'count/persistentvolumeclaims', ONE());
  const spec = (pvc.spec ?? {}) as { storageClassName?: string; resources?: { requests?: ResourceList } };
  const storage = spec.resources?.requests?.storage;
  const value = storage ? q(storage) : undefined;
  addTo(u, 'requests.storage', value);
  if (spec.storageClassName) {
    addTo(u, `${spec.storageClassName}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE());
    addTo(u, `${spec.storageClassName}.storageclass.storage.k8s.io/requests.storage`, value);
  }
  return u;
}

/** Legacy names of object counts (upstream's `configmaps` = `count/configmaps`, …). */
export const LEGACY_COUNT_NAMES: Record<string, string> = {
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

export function countUsage(resource: string, group: string): Usage {
  const u: Usage = new Map();
  addTo(u, group ? `count/${resource}.${group}` : `count/${resource}`, ONE());
  const legacy = group ? undefined : LEGACY_COUNT_NAMES[resource];
  if (legacy) addTo(u, legacy, ONE());
  return u;
}
