/** authentication.k8s.io: reviews answered on create, never stored (TokenRequest is serviceaccounts/token). */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';

const group = 'authentication.k8s.io';

export function authenticationResources(): ResourceType[] {
  return [
    row({ group, version: 'v1', plural: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'], generation: false }),
    row({ group, version: 'v1', plural: 'tokenreviews', singular: 'tokenreview', kind: 'TokenReview', namespaced: false, verbs: ['create'], generation: false }),
    // kubectl before 1.28 asks v1beta1 (it falls back on 404).
    row({ group, version: 'v1beta1', plural: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'], generation: false }),
  ];
}
