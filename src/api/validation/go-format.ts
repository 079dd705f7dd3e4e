/**
 * Go's %#v renderings that upstream field errors embed for non-scalar values; kubectl users
 * see these verbatim, e.g. `map[string]string{"app":"x"}`.
 */
import type { FieldError } from '../field-errors.js';
import { isPlainObject } from '../object.js';

export function goStringMap(m: unknown): string {
  if (!isPlainObject(m)) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`).join(', ')}}`;
}

export function goStringSlice(a: unknown): string {
  if (!Array.isArray(a)) return '[]string(nil)';
  return `[]string{${a.map((s) => JSON.stringify(String(s))).join(', ')}}`;
}

function goRequirement(r: unknown): string {
  const req = isPlainObject(r) ? r : {};
  return `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(req.key ?? ''))}, Operator:${JSON.stringify(
    String(req.operator ?? ''),
  )}, Values:${goStringSlice(req.values)}}`;
}

export function goLabelSelector(s: unknown): string {
  if (!isPlainObject(s)) return 'null';
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map(goRequirement).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** An Invalid error whose value is already rendered the Go way. */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${rendered}: ${detail}` };
}
