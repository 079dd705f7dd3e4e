/** Labels, annotations and metav1.LabelSelector (apimachinery pkg/apis/meta/v1/validation). */
import { type FieldError, forbidden, invalid, required, tooLong } from '../field-errors.js';
import { isPlainObject } from '../object.js';
import { isQualifiedName, isValidLabelValue } from './names.js';
import { list, rec, str } from './json-access.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabelName(key: string, field: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(field, key, msg));
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isPlainObject(labels)) return [invalid(field, labels, 'must be a map of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, field));
    if (typeof v !== 'string') errs.push(invalid(field, v, 'must be a string'));
    else for (const msg of isValidLabelValue(v)) errs.push(invalid(field, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isPlainObject(annotations)) return [invalid(field, annotations, 'must be a map of strings')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  const s = rec(selector);
  if (!s) return [];
  const errs: FieldError[] = [];
  list(s.matchExpressions).forEach((req, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const values = Array.isArray(req.values) ? req.values : [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errs.push(invalid(`${p}.operator`, req.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(str(req.key) ?? '', `${p}.key`));
  });
  errs.push(...validateLabels(s.matchLabels, `${field}.matchLabels`));
  return errs;
}

/** True for a selector that selects nothing in particular (no labels, no expressions). */
export function isEmptySelector(selector: unknown): boolean {
  const s = rec(selector);
  if (!s) return true;
  const labels = rec(s.matchLabels);
  return (!labels || Object.keys(labels).length === 0) && list(s.matchExpressions).length === 0;
}

/** metav1.LabelSelector semantics: all matchLabels and all expressions must hold. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  const s = rec(selector);
  if (!s) return false;
  const have = rec(labels) ?? {};
  for (const [k, v] of Object.entries(rec(s.matchLabels) ?? {})) if (have[k] !== v) return false;
  for (const req of list(s.matchExpressions)) {
    if (!OPERATORS.includes(String(req.operator))) return false;
    const key = str(req.key) ?? '';
    const values = Array.isArray(req.values) ? req.values : [];
    const present = Object.prototype.hasOwnProperty.call(have, key);
    switch (req.operator) {
      case 'In':
        if (!present || !values.includes(have[key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/** Equality-based selector (a plain map, as ReplicationController and Service use). */
export function mapSelectorMatches(selector: unknown, labels: unknown): boolean {
  const s = rec(selector) ?? {};
  const have = rec(labels) ?? {};
  return Object.entries(s).every(([k, v]) => have[k] === v);
}
