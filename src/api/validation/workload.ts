/** Pieces shared by the workload controllers' validation: selectors vs. templates, int-or-percent. */
import { type FieldError, invalid, notSupported, required } from '../field-errors.js';
import { goLabelSelector, goStringMap, invalidRendered } from './go-format.js';
import { isEmptySelector, selectorMatches, validateLabelSelector } from './labels.js';
import { isValidPercent } from './names.js';
import { validatePodTemplateSpec } from './pod.js';
import { rec } from './json-access.js';

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** A LabelSelector spec.selector: required, well formed, not empty (`kindWord` as upstream words it). */
export function validateSelector(selector: unknown, field: string, kindWord: string): FieldError[] {
  if (selector === undefined || selector === null) return [required(field)];
  const errs = validateLabelSelector(selector, field);
  if (isEmptySelector(selector)) errs.push(invalidRendered(field, goLabelSelector(selector), `empty selector is invalid for ${kindWord}`));
  return errs;
}

/**
 * A controller's template: labels must satisfy the selector (a missing selector matches nothing,
 * an empty one everything), restartPolicy must be Always, no activeDeadlineSeconds.
 */
export function validateTemplateForSelector(template: unknown, selector: unknown, field: string, owner: string): FieldError[] {
  const t = rec(template);
  if (!t) return [required(field)];
  const errs: FieldError[] = [];
  const labels = rec(t.metadata)?.labels;
  const sel = rec(selector);
  const everything = sel !== undefined && isEmptySelector(sel);
  if (!everything && !selectorMatches(sel, labels)) {
    errs.push(invalidRendered(`${field}.metadata.labels`, goStringMap(labels), SELECTOR_MISMATCH));
  }
  errs.push(...validatePodTemplateSpec(t, field));
  const spec = rec(t.spec) ?? {};
  if (spec.restartPolicy !== undefined && spec.restartPolicy !== 'Always' && errs.every((e) => e.field !== `${field}.spec.restartPolicy`)) {
    errs.push(notSupported(`${field}.spec.restartPolicy`, spec.restartPolicy, ['Always']));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(invalid(`${field}.spec.activeDeadlineSeconds`, spec.activeDeadlineSeconds, `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

/** %#v of an intstr.IntOrString. */
export function goIntOrString(v: unknown): string {
  return typeof v === 'string'
    ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`
    : `intstr.IntOrString{Type:0, IntVal:${Number(v ?? 0)}, StrVal:""}`;
}

/** upstream ValidatePositiveIntOrPercent + IsNotMoreThan100Percent. */
export function validateIntOrPercent(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    const errs = isValidPercent(v).map((msg) => invalid(field, v, msg));
    if (errs.length === 0 && Number(v.slice(0, -1)) > 100) errs.push(invalid(field, v, 'must not be greater than 100%'));
    return errs;
  }
  return nonNegative(v, field);
}

/** Whether an int-or-percent resolves to zero. */
export function isZeroIntOrPercent(v: unknown): boolean {
  return v === 0 || (typeof v === 'string' && /^0+%$/.test(v));
}
