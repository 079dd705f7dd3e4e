/** policy/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import { validatePodDisruptionBudget } from '../validation/policy.js';

export function policyResources(): ResourceType[] {
  return [
    row({
      group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget',
      kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'],
      subresources: [statusSubresource('PodDisruptionBudget')],
      generation: true, validate: validatePodDisruptionBudget,
    }),
  ];
}
