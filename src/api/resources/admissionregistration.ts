/** admissionregistration.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import * as d from '../defaults/admissionregistration.js';
import * as v from '../validation/admissionregistration.js';

const admission = { group: 'admissionregistration.k8s.io', version: 'v1' } as const;
const categories = ['api-extensions'];

export function admissionregistrationResources(): ResourceType[] {
  return [
    row({
      ...admission, plural: 'mutatingwebhookconfigurations', singular: 'mutatingwebhookconfiguration',
      kind: 'MutatingWebhookConfiguration', namespaced: false, categories,
      generation: true, defaults: d.defaultMutatingWebhookConfiguration,
      validate: v.validateMutatingWebhookConfiguration,
    }),
    row({
      ...admission, plural: 'validatingadmissionpolicies', singular: 'validatingadmissionpolicy',
      kind: 'ValidatingAdmissionPolicy', namespaced: false, categories,
      subresources: [statusSubresource('ValidatingAdmissionPolicy')], generation: true,
      defaults: d.defaultValidatingAdmissionPolicy,
    }),
    row({
      ...admission, plural: 'validatingadmissionpolicybindings', singular: 'validatingadmissionpolicybinding',
      kind: 'ValidatingAdmissionPolicyBinding', namespaced: false, categories, generation: true,
    }),
    row({
      ...admission, plural: 'validatingwebhookconfigurations', singular: 'validatingwebhookconfiguration',
      kind: 'ValidatingWebhookConfiguration', namespaced: false, categories,
      generation: true, defaults: d.defaultValidatingWebhookConfiguration,
      validate: v.validateValidatingWebhookConfiguration,
    }),
  ];
}
