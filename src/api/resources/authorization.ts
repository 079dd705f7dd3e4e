/** authorization.k8s.io/v1: access reviews answered on create from the authorizer, never stored. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';

const authz = { group: 'authorization.k8s.io', version: 'v1', generation: false };

export function authorizationResources(): ResourceType[] {
  return [
    row({ ...authz, verbs: ['create'], plural: 'localsubjectaccessreviews', singular: 'localsubjectaccessreview', kind: 'LocalSubjectAccessReview', namespaced: true }),
    row({ ...authz, verbs: ['create'], plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false }),
    row({ ...authz, verbs: ['create'], plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', namespaced: false }),
    row({ ...authz, verbs: ['create'], plural: 'subjectaccessreviews', singular: 'subjectaccessreview', kind: 'SubjectAccessReview', namespaced: false }),
  ];
}
