/** coordination.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';
import { validateLease } from '../validation/coordination.js';

export function coordinationResources(): ResourceType[] {
  return [
    row({
      group: 'coordination.k8s.io', version: 'v1', plural: 'leases', singular: 'lease', kind: 'Lease',
      namespaced: true, generation: false, validate: validateLease,
    }),
  ];
}
