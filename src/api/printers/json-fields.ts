/**
 * Readers for plain JSON objects in v1 wire format. Printers see stored objects as untyped
 * JSON; these read a field and fall back to Go's zero value when it is absent or of the
 * wrong type, which is what upstream's printers see after decoding into typed structs.
 */
export type JsonRecord = Record<string, unknown>;

export function rec(v: unknown): JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonRecord) : {};
}

export function arr(v: unknown): JsonRecord[] {
  return Array.isArray(v) ? v.map(rec) : [];
}

export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** A string map such as labels or a node selector. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(rec(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Number of keys of a map field (ConfigMap data, Secret data). */
export function mapSize(v: unknown): number {
  return Object.keys(rec(v)).length;
}

/**
 * A resource.Quantity or IntOrString as upstream's String() prints it.
 * NOTE: quantities are printed as stored, not re-canonicalised.
 */
export function quantity(v: unknown, missing = '0'): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return missing;
}
