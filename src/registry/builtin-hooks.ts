/** Resource-specific store hooks of the built-in resources, built in one place. */
import type { ResourceType } from '../api/resource-type.js';
import { generateJobSelector } from '../api/defaults/batch.js';
import type { StoreHooks } from './store.js';

export interface BuiltinHookDeps {
  services?: StoreHooks;
}

export function builtinHooks(deps: BuiltinHookDeps): (rt: ResourceType) => StoreHooks | undefined {
  const jobs: StoreHooks = { prepareForCreate: generateJobSelector };
  return (rt) => {
    if (rt.group === 'batch' && rt.kind === 'Job') return jobs;
    if (rt.group === '' && rt.kind === 'Service') return deps.services;
    return undefined;
  };
}
