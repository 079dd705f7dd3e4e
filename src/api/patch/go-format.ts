/**
 * Renders JSON values the way Go's `%v` prints decoded JSON, because upstream's strategic
 * merge patch errors embed values that way (`map: map[image:nginx] does not contain declared
 * merge key: name`) and users and tests match on that text.
 */
import { isJsonObject } from './json-value.js';

export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (isJsonObject(value)) {
    // Go prints map keys sorted bytewise.
    const keys = Object.keys(value).sort(compareBytewise);
    return `map[${keys.map((key) => `${key}:${formatGoValue(value[key])}`).join(' ')}]`;
  }
  if (typeof value === 'number') return formatGoNumber(value);
  return String(value);
}

/** Go's type name for a decoded JSON value, as `reflect.TypeOf(v)` prints it. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

/** Upstream decodes integers as int64 (PreserveInts) and the rest as float64 (`%v` is `%g`). */
function formatGoNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const text = String(n);
  const exp = /e([+-])(\d+)$/.exec(text);
  if (!exp) return text;
  const digits = exp[2]!.padStart(2, '0');
  return text.replace(/e[+-]\d+$/, `e${exp[1]}${digits}`);
}

function compareBytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
