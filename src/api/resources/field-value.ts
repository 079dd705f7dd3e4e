/**
 * Field selector extractors. Upstream renders selectable fields as strings: booleans as
 * "true"/"false", integers in decimal, missing values as "".
 */
import type { KubeObject } from '../object.js';
import { isPlainObject } from '../object.js';

export function readPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function asSelectorString(v: unknown, zero: string): string {
  if (v === undefined || v === null) return zero;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** Extractor for a string field. */
export function stringField(dotted: string): (obj: KubeObject) => string {
  return (obj) => asSelectorString(readPath(obj, dotted), '');
}

/** Extractor for a bool field; Go's zero value prints as "false". */
export function boolField(dotted: string): (obj: KubeObject) => string {
  return (obj) => asSelectorString(readPath(obj, dotted), 'false');
}

/** Extractor for an int field; Go's zero value prints as "0". */
export function intField(dotted: string): (obj: KubeObject) => string {
  return (obj) => asSelectorString(readPath(obj, dotted), '0');
}

/** Builds a selector map from field path → extractor factory. */
export function selectors(
  spec: Record<string, (dotted: string) => (obj: KubeObject) => string>,
): Record<string, (obj: KubeObject) => string> {
  const out: Record<string, (obj: KubeObject) => string> = {};
  for (const [field, make] of Object.entries(spec)) out[field] = make(field);
  return out;
}
