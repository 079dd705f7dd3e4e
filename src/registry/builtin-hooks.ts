/** Resource-specific store hooks of the built-in resources, built in one place. */
import type { ResourceType } from '../api/resource-type.js';
import { generateJobSelector } from '../api/defaults/batch.js';
import type { KubeObject } from '../api/object.js';
import { qosClass } from '../api/pod-qos.js';
import type { StoreHooks } from './store.js';

export interface BuiltinHookDeps {
  services?: StoreHooks;
}

/** Upstream's pod strategy starts every pod Pending with its QoS class, whatever the client sent. */
function preparePodForCreate(pod: KubeObject): void {
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
