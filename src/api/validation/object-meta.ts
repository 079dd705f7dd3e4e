/**
 * ObjectMeta validation on create and update (apimachinery pkg/api/validation/objectmeta.go).
 */
import { type FieldError, forbidden, invalid, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { isDNS1123Label, isQualifiedName, type NameValidator } from './names.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { list, str } from './json-access.js';

export const FIELD_IMMUTABLE = 'field is immutable';

export interface MetaRules {
  namespaced: boolean;
  name: NameValidator;
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  for (const ref of list(refs)) {
    if (!str(ref.apiVersion)) errs.push(invalid(`${field}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!str(ref.kind)) errs.push(invalid(`${field}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!str(ref.name)) errs.push(invalid(`${field}.name`, ref.name ?? '', 'name must not be empty'));
    if (!str(ref.uid)) errs.push(invalid(`${field}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller === true) controllers++;
  }
  if (controllers > 1) {
    errs.push(invalid(field, refs, 'Only one reference can have Controller set to true'));
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const f of Array.isArray(finalizers) ? finalizers : []) {
    const name = String(f);
    for (const msg of isQualifiedName(name)) errs.push(invalid(field, name, msg));
    if (seen.has(name)) errs.push({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${JSON.stringify(name)}` });
    seen.add(name);
  }
  return errs;
}

export function validateObjectMeta(obj: KubeObject, rules: MetaRules): FieldError[] {
  const meta = obj.metadata ?? {};
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName) ?? '';
  const name = str(meta.name) ?? '';
  if (generateName) {
    for (const msg of rules.name(generateName, true)) errs.push(invalid('metadata.generateName', generateName, msg));
  }
  if (!name) {
    if (!generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of rules.name(name, false)) errs.push(invalid('metadata.name', name, msg));
  }
  const namespace = str(meta.namespace) ?? '';
  if (rules.namespaced) {
    if (!namespace) errs.push(required('metadata.namespace'));
    else for (const msg of isDNS1123Label(namespace)) errs.push(invalid('metadata.namespace', namespace, msg));
  } else if (namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/** Immutability of identity fields, plus the create-time checks on the new metadata. */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject, rules: MetaRules): FieldError[] {
  const errs = validateObjectMeta(obj, rules);
  const meta = obj.metadata ?? {};
  const oldMeta = old.metadata ?? {};
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    const now = meta[key] ?? '';
    const was = oldMeta[key] ?? '';
    if (now !== was) errs.push(invalid(`metadata.${key}`, now, FIELD_IMMUTABLE));
  }
  return errs;
}

/** Create or update metadata checks in one call. */
export function validateMeta(obj: KubeObject, old: KubeObject | undefined, rules: MetaRules): FieldError[] {
  return old ? validateObjectMetaUpdate(obj, old, rules) : validateObjectMeta(obj, rules);
}

/** upstream ValidateImmutableField. */
export function validateImmutable(now: unknown, was: unknown, field: string): FieldError[] {
  return deepEqual(now, was) ? [] : [invalid(field, now ?? null, FIELD_IMMUTABLE)];
}
