/** node.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';
import { validateRuntimeClass } from '../validation/node.js';

export function nodeResources(): ResourceType[] {
  return [
    row({
      group: 'node.k8s.io', version: 'v1', plural: 'runtimeclasses', singular: 'runtimeclass', kind: 'RuntimeClass',
      namespaced: false, generation: false, validate: validateRuntimeClass,
    }),
  ];
}
