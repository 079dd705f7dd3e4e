/**
 * How server-side apply sees one node of an object: the schema's list and map types turned
 * into the few shapes structured-merge-diff distinguishes.
 *
 * - No schema (custom resources without one, unknown fields): objects are granular maps whose
 *   every key is a member, lists are atomic — upstream's "deduced" type.
 * - A list without `x-kubernetes-list-type` but with a patch merge key is a map list keyed by
 *   it (upstream's OpenAPI conversion does the same); with neither it is atomic.
 */
import type { Schema, TypeRegistry } from '../schema/types.js';
import { isPlainObject } from '../object.js';
import { ApplyInvalidObjectError } from './apply-errors.js';
import { keyElement, valueElement, type PathElement } from './fieldpath.js';

export type SchemaResolver = Pick<TypeRegistry, 'resolve'> | undefined;

export type Shape =
  | { kind: 'leaf' }
  | {
      kind: 'object';
      atomic: boolean;
      /** A struct with declared fields (not a map and not deduced). */
      struct: boolean;
      /** Schema of a child; undefined means deduced. */
      child(name: string): Schema | undefined;
      /** Declared struct fields are not members by themselves; map keys are. */
      declared(name: string): boolean;
      required(name: string): boolean;
    }
  | { kind: 'list'; listType: 'atomic' | 'set' | 'map'; keys: string[]; item: Schema | undefined };


export function resolveSchema(schema: Schema | undefined, registry: SchemaResolver): Schema | undefined {
  if (!schema) return undefined;
  let s = registry ? registry.resolve(schema) : schema;
  // A bare `allOf: [$ref]` wrapper may survive a resolver that only follows $ref.
  if (!s.properties && !s.items && s.allOf?.length === 1) s = registry ? registry.resolve(s.allOf[0]!) : s.allOf[0]!;
  return s;
}

const DEDUCED_OBJECT: Shape = { kind: 'object', atomic: false, struct: false, child: () => undefined, declared: () => false, required: () => false };
const ATOMIC_LIST: Shape = { kind: 'list', listType: 'atomic', keys: [], item: undefined };

/** The shape of `value` under `schema`; a value that does not fit its schema is a leaf. */
export function shapeOf(value: unknown, schema: Schema | undefined, registry: SchemaResolver): Shape {
  const s = resolveSchema(schema, registry);
  if (!s || isFreeForm(s)) {
    if (isPlainObject(value)) return DEDUCED_OBJECT;
    return Array.isArray(value) ? ATOMIC_LIST : { kind: 'leaf' };
  }
  if (s['x-kubernetes-int-or-string']) return { kind: 'leaf' };
  if (s.properties || (s.additionalProperties !== undefined && s.additionalProperties !== false) || s.type === 'object') {
    if (!isPlainObject(value)) return { kind: 'leaf' };
    const props = s.properties ?? {};
    const addl = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    return {
      kind: 'object',
      atomic: s['x-kubernetes-map-type'] === 'atomic',
      struct: s.properties !== undefined,
      child: (name) => (Object.hasOwn(props, name) ? props[name] : addl),
      declared: (name) => Object.hasOwn(props, name),
      required: (name) => s.required?.includes(name) ?? false,
    };
  }
  if (s.items || s.type === 'array') {
    if (!Array.isArray(value)) return { kind: 'leaf' };
    const listType = s['x-kubernetes-list-type'];
    const mergeKey = s['x-kubernetes-patch-merge-key'];
    if (listType === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? (mergeKey ? [mergeKey] : []);
      return keys.length ? { kind: 'list', listType, keys, item: s.items } : ATOMIC_LIST;
    }
    if (listType === 'set') return { kind: 'list', listType, keys: [], item: s.items };
    if (listType === undefined && mergeKey) return { kind: 'list', listType: 'map', keys: [mergeKey], item: s.items };
    return { kind: 'list', listType: 'atomic', keys: [], item: s.items };
  }
  return { kind: 'leaf' };
}

function isFreeForm(s: Schema): boolean {
  return (
    !s.type &&
    !s.properties &&
    !s.items &&
    s.additionalProperties === undefined &&
    !s['x-kubernetes-int-or-string'] &&
    !s.enum &&
    !s.format
  ) || (s['x-kubernetes-preserve-unknown-fields'] === true && !s.properties && !s.items && s.additionalProperties === undefined);
}

/**
 * The path element of each item of a granular list, or an error naming the first item that
 * cannot be addressed (a map-list item without its key fields, a non-scalar set item).
 * Missing key fields fall back to the schema default, as upstream does for `protocol`.
 */
export function listItemElements(
  items: unknown[],
  shape: Extract<Shape, { kind: 'list' }>,
  registry: SchemaResolver,
  path: string,
): PathElement[] {
  if (shape.listType === 'set') {
    return items.map((item, i) => {
      if (isPlainObject(item) || Array.isArray(item)) {
        throw new ApplyInvalidObjectError(`${path}[${i}]`, `${path}[${i}]: only scalar values are allowed in a set`);
      }
      return valueElement(item);
    });
  }
  const itemSchema = resolveSchema(shape.item, registry);
  return items.map((item, i) => {
    if (!isPlainObject(item)) {
      throw new ApplyInvalidObjectError(`${path}[${i}]`, `${path}[${i}]: expected an object in a list keyed by ${shape.keys.join(', ')}`);
    }
    const key: Record<string, unknown> = {};
    for (const k of shape.keys) {
      const v = item[k] ?? resolveSchema(itemSchema?.properties?.[k], registry)?.default;
      if (v === undefined || v === null) {
        throw new ApplyInvalidObjectError(
          `${path}[${i}]`,
          `${path}[${i}]: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
        );
      }
      key[k] = v;
    }
    return keyElement(key);
  });
}
