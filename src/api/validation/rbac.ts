/** rbac.authorization.k8s.io/v1 (upstream pkg/apis/rbac/validation). */
import { type FieldError, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { isDNS1123Label, isValidPathSegmentName, nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { validateLabelSelector } from './labels.js';
import { goStringSlice, invalidRendered } from './go-format.js';
import { list, rec, str } from './json-access.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(rule: Record<string, unknown>, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const len = (k: string) => (Array.isArray(rule[k]) ? (rule[k] as unknown[]).length : 0);
  if (len('verbs') === 0) errs.push(required(`${field}.verbs`, 'verbs must contain at least one value'));
  if (len('nonResourceURLs') > 0) {
    const urls = goStringSlice(rule.nonResourceURLs);
    if (namespaced) errs.push(invalidRendered(`${field}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (len('apiGroups') > 0 || len('resources') > 0 || len('resourceNames') > 0) {
      errs.push(invalidRendered(`${field}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (len('apiGroups') === 0) errs.push(required(`${field}.apiGroups`, 'resource rules must supply at least one api group'));
  if (len('resources') === 0) errs.push(required(`${field}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(obj.rules).forEach((rule, i) => errs.push(...validatePolicyRule(rule, namespaced, `rules[${i}]`)));
  return errs;
}

export function validateRole(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [...validateMeta(obj, old, { namespaced: true, name: isValidPathSegmentName }), ...validateRules(obj, true)];
}

export function validateClusterRole(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: isValidPathSegmentName });
  const aggregation = rec(obj.aggregationRule);
  if (aggregation) {
    const selectors = list(aggregation.clusterRoleSelectors);
    if (selectors.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
    return errs;
  }
  return [...errs, ...validateRules(obj, false)];
}

function goRoleRef(ref: Record<string, unknown>): string {
  return `rbac.RoleRef{APIGroup:${JSON.stringify(String(ref.apiGroup ?? ''))}, Kind:${JSON.stringify(String(ref.kind ?? ''))}, Name:${JSON.stringify(String(ref.name ?? ''))}}`;
}

function validateBinding(obj: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced, name: isValidPathSegmentName });
  const roleRef = rec(obj.roleRef) ?? {};
  if (roleRef.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', roleRef.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(String(roleRef.kind))) errs.push(notSupported('roleRef.kind', roleRef.kind ?? '', kinds));
  const roleName = str(roleRef.name) ?? '';
  if (!roleName) errs.push(required('roleRef.name'));
  else for (const msg of isValidPathSegmentName(roleName, false)) errs.push(invalid('roleRef.name', roleName, msg));
  list(obj.subjects).forEach((subject, i) => {
    const p = `subjects[${i}]`;
    const name = str(subject.name) ?? '';
    if (!name) errs.push(required(`${p}.name`));
    switch (subject.kind) {
      case 'ServiceAccount':
        if (name) for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(`${p}.name`, name, msg));
        if (str(subject.apiGroup)) errs.push(notSupported(`${p}.apiGroup`, subject.apiGroup, ['']));
        if (!namespaced && !str(subject.namespace)) errs.push(required(`${p}.namespace`));
        else if (str(subject.namespace)) {
          for (const msg of isDNS1123Label(subject.namespace as string)) errs.push(invalid(`${p}.namespace`, subject.namespace, msg));
        }
        break;
      case 'User':
      case 'Group':
        if (subject.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${p}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  if (old && !deepEqual(obj.roleRef, old.roleRef)) errs.push(invalidRendered('roleRef', goRoleRef(roleRef), 'cannot change roleRef'));
  return errs;
}

export function validateRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateBinding(obj, old, true);
}

export function validateClusterRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateBinding(obj, old, false);
}
