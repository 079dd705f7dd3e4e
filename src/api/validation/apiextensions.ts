/** apiextensions.k8s.io/v1 CustomResourceDefinitions (the structural checks kubectl users meet first). */
import { type FieldError, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { list, rec, str } from './json-access.js';

const SCOPES = ['Cluster', 'Namespaced'];
const anyName = () => [];

export function validateCustomResourceDefinition(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: anyName });
  const spec = rec(obj.spec) ?? {};
  const names = rec(spec.names) ?? {};
  const group = str(spec.group) ?? '';
  const plural = str(names.plural) ?? '';
  const name = obj.metadata.name ?? '';
  if (name !== `${plural}.${group}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (!group) errs.push(required('spec.group'));
  else {
    for (const msg of isDNS1123Subdomain(group)) errs.push(invalid('spec.group', group, msg));
    if (group.split('.').length < 2) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = str(spec.scope) ?? '';
  if (!scope) errs.push(required('spec.scope'));
  else if (!SCOPES.includes(scope)) errs.push(notSupported('spec.scope', scope, SCOPES));
  if (!plural) errs.push(required('spec.names.plural'));
  else for (const msg of isDNS1035Label(plural)) errs.push(invalid('spec.names.plural', plural, msg));
  const singular = str(names.singular);
  if (singular) for (const msg of isDNS1035Label(singular)) errs.push(invalid('spec.names.singular', singular, msg));
  if (!str(names.kind)) errs.push(required('spec.names.kind'));
  if (!str(names.listKind)) errs.push(required('spec.names.listKind'));
  const versions = list(spec.versions);
  if (versions.length === 0) errs.push(invalid('spec.versions', null, 'must have at least one version'));
  let storage = 0;
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const vn = str(v.name) ?? '';
    if (!vn) errs.push(required(`spec.versions[${i}].name`));
    else for (const msg of isDNS1123Label(vn)) errs.push(invalid(`spec.versions[${i}].name`, vn, msg));
    if (seen.has(vn)) errs.push({ reason: 'FieldValueDuplicate', field: `spec.versions[${i}].name`, message: `Duplicate value: ${JSON.stringify(vn)}` });
    seen.add(vn);
    if (v.storage === true) storage++;
    if (!rec(rec(v.schema)?.openAPIV3Schema)) errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (versions.length > 0 && storage !== 1) {
    errs.push(invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  }
  if (old) {
    errs.push(...validateImmutable(spec.group, rec(old.spec)?.group, 'spec.group'));
    errs.push(...validateImmutable(names.plural, rec(rec(old.spec)?.names)?.plural, 'spec.names.plural'));
  }
  return errs;
}
