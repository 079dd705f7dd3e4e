/**
 * Defaulting works on plain JSON. These helpers give defaulting code Go's "nil means unset"
 * reading: a field is unset when it is absent or null.
 */
import { isPlainObject } from '../object.js';

export type Json = Record<string, unknown>;

export function isUnset(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Sets `parent[key]` to `value` when unset. */
export function setDefault(parent: Json, key: string, value: unknown): void {
  if (isUnset(parent[key])) parent[key] = value;
}

/** Sets `parent[key]` to `value` when unset or the empty string (Go's zero value for strings). */
export function setDefaultString(parent: Json, key: string, value: string): void {
  if (isUnset(parent[key]) || parent[key] === '') parent[key] = value;
}

/** The child object at `key`, created empty when unset. Undefined when a non-object is there. */
export function child(parent: Json, key: string): Json | undefined {
  if (isUnset(parent[key])) parent[key] = {};
  const v = parent[key];
  return isPlainObject(v) ? v : undefined;
}

/** The child object at `key` when present; never creates one. */
export function existing(parent: Json | undefined, key: string): Json | undefined {
  const v = parent?.[key];
  return isPlainObject(v) ? v : undefined;
}

/** The object entries of the array at `key` (non-objects skipped); never creates one. */
export function items(parent: Json | undefined, key: string): Json[] {
  const v = parent?.[key];
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}
