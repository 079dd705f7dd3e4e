/**
 * Fields of a decoded object that its schema does not declare, for strict field validation.
 * Paths use upstream's spelling in `strict decoding error: unknown field "<path>"`:
 * dotted field names with `[i]` for list items, e.g. `spec.template.spec.containers[0].foo`.
 */
import type { Schema, TypeRegistry } from './types.js';

/** Top-level fields every object may carry, whatever its schema says. */
const typeMetaFields = new Set(['apiVersion', 'kind']);

export function findUnknownFields(obj: unknown, schema: Schema, registry: TypeRegistry): string[] {
  const found: string[] = [];
  walk(obj, schema, '', registry, found, true);
  return found;
}

function walk(value: unknown, schema: Schema, path: string, registry: TypeRegistry, found: string[], root = false): void {
  const s = registry.resolve(schema);
  if (s['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walk(item, s.items!, `${path}[${i}]`, registry, found));
    return;
  }
  const record = value as Record<string, unknown>;
  if (s.properties) {
    for (const [key, child] of Object.entries(record)) {
      const childPath = path ? `${path}.${key}` : key;
      const prop = s.properties[key];
      if (prop) walk(child, prop, childPath, registry, found);
      else if (!(root && typeMetaFields.has(key))) found.push(childPath);
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [key, child] of Object.entries(record)) {
      walk(child, s.additionalProperties, path ? `${path}.${key}` : key, registry, found);
    }
  }
}
