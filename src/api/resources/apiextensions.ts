/** apiextensions.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import { defaultCustomResourceDefinition } from '../defaults/apiextensions.js';
import { validateCustomResourceDefinition } from '../validation/apiextensions.js';

export function apiextensionsResources(): ResourceType[] {
  return [
    row({
      group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions',
      singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false,
      shortNames: ['crd', 'crds'], categories: ['api-extensions'],
      subresources: [statusSubresource('CustomResourceDefinition')],
      generation: true, defaults: defaultCustomResourceDefinition, validate: validateCustomResourceDefinition,
    }),
  ];
}
