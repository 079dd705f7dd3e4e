/** scheduling.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';
import { defaultPriorityClass } from '../defaults/scheduling.js';
import { validatePriorityClass } from '../validation/scheduling.js';

export function schedulingResources(): ResourceType[] {
  return [
    row({
      group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', singular: 'priorityclass',
      kind: 'PriorityClass', namespaced: false, shortNames: ['pc'],
      generation: false, defaults: defaultPriorityClass, validate: validatePriorityClass,
    }),
  ];
}
