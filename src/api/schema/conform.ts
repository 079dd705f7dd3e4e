/**
 * Makes a decoded object look like what upstream's typed decoding produces: values of the
 * wrong JSON type are refused (Go's `json: cannot unmarshal …` errors), fields the schema does
 * not declare are reported and dropped, and `null` struct fields disappear (Go decodes them as
 * zero values, which `omitempty` then leaves out).
 */
import type { Schema, TypeRegistry } from './types.js';

export interface ConformResult {
  /** Paths of undeclared fields (already removed from the object). */
  unknown: string[];
  /** The first type mismatch, in Go's words, or undefined. */
  typeError?: string;
}

const typeMetaFields = new Set(['apiVersion', 'kind']);

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function goType(s: Schema): string {
  if (s['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return '[]';
    default:
      return s.additionalProperties ? 'map[string]' : 'struct';
  }
}

class Walker {
  unknown: string[] = [];
  typeError?: string;
  constructor(private readonly registry: TypeRegistry) {}

  private fail(value: unknown, s: Schema, structName: string, path: string): void {
    this.typeError ??= `json: cannot unmarshal ${jsonKind(value) === 'object' ? 'object' : jsonKind(value)} into Go struct field ${structName}.${path} of type ${goType(s)}`;
  }

  /** Returns false when `value` must be dropped from its parent. */
  walk(value: unknown, schema: Schema, path: string, structName: string, root = false): boolean {
    if (this.typeError) return true;
    const refName = schema.$ref?.split('/').pop()?.split('.').pop();
    const s = this.registry.resolve(schema);
    if (value === null) return false;
    if (s['x-kubernetes-preserve-unknown-fields'] && !s.properties) return true;
    if (s['x-kubernetes-int-or-string']) {
      if (typeof value !== 'string' && typeof value !== 'number') this.fail(value, s, structName, path);
      return true;
    }
    switch (s.type) {
      case 'string':
        if (typeof value !== 'string') {
          // Quantities decode from numbers too.
          if (!(typeof value === 'number' && (s.format === 'quantity' || refName === 'Quantity'))) this.fail(value, s, structName, path);
        }
        return true;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(value, s, structName, path);
        return true;
      case 'number':
        if (typeof value !== 'number') this.fail(value, s, structName, path);
        return true;
      case 'boolean':
        if (typeof value !== 'boolean') this.fail(value, s, structName, path);
        return true;
      case 'array':
        if (!Array.isArray(value)) {
          this.fail(value, s, structName, path);
          return true;
        }
        if (s.items) {
          for (let i = 0; i < value.length; i++) {
            if (value[i] === null) continue;
            this.walk(value[i], s.items, `${path}[${i}]`, structName);
          }
        }
        return true;
    }
    if (s.properties || s.additionalProperties || s.type === 'object') {
      if (jsonKind(value) !== 'object') {
        if (s.properties || s.additionalProperties) this.fail(value, s, structName, path);
        return true;
      }
      const record = value as Record<string, unknown>;
      const name = refName ?? structName;
      if (s.properties) {
        for (const key of Object.keys(record)) {
          const childPath = path ? `${path}.${key}` : key;
          const prop = s.properties[key];
          if (prop) {
            if (!this.walk(record[key], prop, childPath, name)) delete record[key];
          } else if (!(root && typeMetaFields.has(key)) && !s['x-kubernetes-preserve-unknown-fields']) {
            this.unknown.push(childPath);
            delete record[key];
          }
        }
      } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        for (const key of Object.keys(record)) {
          if (record[key] === null) continue;
          this.walk(record[key], s.additionalProperties, path ? `${path}.${key}` : key, name);
        }
      }
    }
    return true;
  }
}

/** Checks and prunes `obj` in place against its kind's schema. */
export function conformToSchema(obj: Record<string, unknown>, schema: Schema, registry: TypeRegistry): ConformResult {
  const w = new Walker(registry);
  const rootName = schema.$ref?.split('/').pop()?.split('.').pop() ?? '';
  w.walk(obj, schema, '', rootName, true);
  return { unknown: w.unknown, typeError: w.typeError };
}
