/** discovery.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';
import { defaultEndpointSlice } from '../defaults/discovery.js';
import { validateEndpointSlice } from '../validation/discovery.js';

export function discoveryResources(): ResourceType[] {
  return [
    row({
      group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', singular: 'endpointslice',
      kind: 'EndpointSlice', namespaced: true,
      generation: true, defaults: defaultEndpointSlice, validate: validateEndpointSlice,
    }),
  ];
}
