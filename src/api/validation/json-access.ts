/** Typed reads of untrusted JSON for validation: wrong types read as absent. */
import { isPlainObject } from '../object.js';

export type Json = Record<string, unknown>;

export function rec(v: unknown): Json | undefined {
  return isPlainObject(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Objects of an array (non-objects read as empty objects so indices stay aligned). */
export function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : [];
}

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Go's "empty": unset, "", empty list or empty map. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}
