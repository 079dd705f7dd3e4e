/** Resource-specific store hooks of the built-in resources, built in one place. */
import type { ResourceType } from '../api/resource-type.js';
import { generateJobSelector } from '../api/defaults/batch.js';
import type { KubeObject } from '../api/object.js';
import { qosClass } from '../api/pod-qos.js';
import type { StoreHooks } from './store.js';

export interface BuiltinHookDeps {
  services?: StoreHooks;
}

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/**
 * Upstream's DefaultTolerationSeconds admission: pods tolerate not-ready and unreachable nodes
 * for 300 s unless they say otherwise, so node problems evict them only after five minutes.
 */
function addDefaultTolerations(pod: KubeObject): void {
  const spec = (pod.spec ?? {}) as { tolerations?: Toleration[] };
  const tolerations = spec.tolerations ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const covered = tolerations.some(
      (t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'),
    );
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
  pod.spec = spec;
}

/** Upstream's pod strategy starts every pod Pending with its QoS class, whatever the client sent. */
function preparePodForCreate(pod: KubeObject): void {
  addDefaultTolerations(pod);
  pod.status = { phase: 'Pending', qosClass: qosClass((pod.spec ?? {}) as Parameters<typeof qosClass>[0]) };
}

export function builtinHooks(deps: BuiltinHookDeps): (rt: ResourceType) => StoreHooks | undefined {
  const jobs: StoreHooks = { prepareForCreate: generateJobSelector };
  const pods: StoreHooks = { prepareForCreate: preparePodForCreate };
  return (rt) => {
    if (rt.group === 'batch' && rt.kind === 'Job') return jobs;
    if (rt.group === '' && rt.kind === 'Pod') return pods;
    if (rt.group === '' && rt.kind === 'Service') return deps.services;
    return undefined;
  };
}
