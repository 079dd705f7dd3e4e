/** admissionregistration.k8s.io/v1 webhook configurations. */
import { type FieldError, duplicate, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { validateLabelSelector } from './labels.js';
import { list, rec, str, isSet, type Json } from './json-access.js';

const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const FAILURE = ['Fail', 'Ignore'];
const MATCH = ['Equivalent', 'Exact'];
const REINVOCATION = ['IfNeeded', 'Never'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

function validateWebhook(w: Json, field: string, mutating: boolean, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(w.name) ?? '';
  if (!name) errs.push(required(`${field}.name`));
  else {
    for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(`${field}.name`, name, msg));
    if (name.split('.').length < 3) errs.push(invalid(`${field}.name`, name, 'should be a domain with at least three segments separated by dots'));
    if (names.has(name)) errs.push(duplicate(`${field}.name`, name));
    names.add(name);
  }
  const sideEffects = str(w.sideEffects) ?? '';
  if (!sideEffects) errs.push(required(`${field}.sideEffects`, `must specify one of ${SIDE_EFFECTS.join(', ')}`));
  else if (!SIDE_EFFECTS.includes(sideEffects)) errs.push(notSupported(`${field}.sideEffects`, sideEffects, SIDE_EFFECTS));
  const versions = Array.isArray(w.admissionReviewVersions) ? w.admissionReviewVersions : [];
  if (versions.length === 0) errs.push(required(`${field}.admissionReviewVersions`, `must specify one of ${REVIEW_VERSIONS.join(', ')}`));
  else if (!versions.some((v: unknown) => REVIEW_VERSIONS.includes(String(v)))) {
    errs.push(invalid(`${field}.admissionReviewVersions`, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`));
  }
  const clientConfig = rec(w.clientConfig) ?? {};
  if (isSet(clientConfig.url) === isSet(clientConfig.service)) {
    errs.push(required(`${field}.clientConfig`, 'exactly one of url or service is required'));
  }
  for (const [key, allowed] of [['failurePolicy', FAILURE], ['matchPolicy', MATCH]] as const) {
    if (isSet(w[key]) && !allowed.includes(String(w[key]))) errs.push(notSupported(`${field}.${key}`, w[key], [...allowed]));
  }
  if (mutating && isSet(w.reinvocationPolicy) && !REINVOCATION.includes(String(w.reinvocationPolicy))) {
    errs.push(notSupported(`${field}.reinvocationPolicy`, w.reinvocationPolicy, REINVOCATION));
  }
  const timeout = w.timeoutSeconds;
  if (isSet(timeout) && !(typeof timeout === 'number' && timeout >= 1 && timeout <= 30)) {
    errs.push(invalid(`${field}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
  }
  errs.push(...validateLabelSelector(w.namespaceSelector, `${field}.namespaceSelector`));
  errs.push(...validateLabelSelector(w.objectSelector, `${field}.objectSelector`));
  return errs;
}

function validateConfiguration(obj: KubeObject, old: KubeObject | undefined, mutating: boolean): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: nameIsDNSSubdomain });
  const names = new Set<string>();
  list(obj.webhooks).forEach((w, i) => errs.push(...validateWebhook(w, `webhooks[${i}]`, mutating, names)));
  return errs;
}

export function validateMutatingWebhookConfiguration(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateConfiguration(obj, old, true);
}

export function validateValidatingWebhookConfiguration(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateConfiguration(obj, old, false);
}
