/**
 * Walks over objects that produce field sets: the set of fields an object sets
 * (structured-merge-diff `ToFieldSet`) and the fields that differ between two versions
 * of an object (`Compare`).
 */
import type { Schema } from '../schema/types.js';
import { deepEqual, isPlainObject } from '../object.js';
import { ApplyInvalidObjectError } from './apply-errors.js';
import { FieldSet, fieldElement, pathString, type FieldPath, type PathElement } from './fieldpath.js';
import { listItemElements, shapeOf, type SchemaResolver, type Shape } from './fieldpath-schema.js';

type ListShape = Extract<Shape, { kind: 'list' }>;

/**
 * The items of a granular list by path element. `strict` (an applied configuration) throws on
 * items that cannot be addressed or repeat a key; otherwise (live objects, which upstream also
 * tolerates) such a list is handled as atomic and this returns undefined.
 */
export function itemsByElement(
  list: unknown[],
  shape: ListShape,
  registry: SchemaResolver,
  path: FieldPath,
  strict: boolean,
): Map<PathElement, unknown> | undefined {
  if (shape.listType === 'atomic') return undefined;
  let pes: PathElement[];
  try {
    pes = listItemElements(list, shape, registry, pathString(path));
  } catch (err) {
    if (strict) throw err;
    return undefined;
  }
  const out = new Map<PathElement, unknown>();
  for (let i = 0; i < pes.length; i++) {
    const pe = pes[i]!;
    if (out.has(pe)) {
      if (strict) throw new ApplyInvalidObjectError(pathString(path), `${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
      return undefined;
    }
    out.set(pe, list[i]);
  }
  return out;
}

export interface WalkOptions {
  /** Reject lists whose items cannot be addressed (for applied configurations). */
  strict?: boolean;
}

/** Every field `obj` sets, as server-side apply records for an applier. */
export function fieldSetFromObject(obj: unknown, schema: Schema | undefined, registry: SchemaResolver, opts: WalkOptions = {}): FieldSet {
  const set = new FieldSet();
  const visit = (value: unknown, s: Schema | undefined, path: PathElement[]): void => {
    const shape = shapeOf(value, s, registry);
    if (shape.kind === 'leaf') {
      set.insert(path);
      return;
    }
    if (shape.kind === 'object') {
      if (shape.atomic) {
        set.insert(path);
        return;
      }
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        const p = [...path, fieldElement(k)];
        visit(v, shape.child(k), p);
        // Declared struct fields are members only through their leaves, unless empty.
        if (v === null || (isPlainObject(v) && Object.keys(v).length === 0) || !shape.declared(k)) set.insert(p);
      }
      return;
    }
    const items = itemsByElement(value as unknown[], shape, registry, path, opts.strict ?? false);
    if (!items) {
      set.insert(path);
      return;
    }
    for (const [pe, item] of items) {
      const p = [...path, pe];
      visit(item, shape.item, p);
      set.insert(p);
    }
  };
  visit(obj, schema, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function isEmptyComparison(c: Comparison): boolean {
  return c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();
}

/** Removes ignored fields (and everything below them) from a comparison. */
export function excludeFields(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored) return c;
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  };
}

function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || (isPlainObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
}

function sameKind(a: unknown, b: unknown): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return true;
  return Array.isArray(a) === Array.isArray(b) && isPlainObject(a) === isPlainObject(b);
}

/** Fields added, modified and removed going from `lhs` to `rhs` (undefined = absent). */
export function compareObjects(lhs: unknown, rhs: unknown, schema: Schema | undefined, registry: SchemaResolver): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (l: unknown, r: unknown, path: PathElement[]): void => {
    if (l === undefined && r === undefined) return;
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
  };
  const node = (l: unknown, r: unknown, path: PathElement[]): void => {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  };
  const visit = (l: unknown, r: unknown, s: Schema | undefined, path: PathElement[]): void => {
    // Equal subtrees hold no added, modified or removed field: skip walking them.
    if (l === r || (typeof l === 'object' && l !== null && deepEqual(l, r))) return;
    if (!sameKind(l, r) || (isEmptyValue(l) && isEmptyValue(r))) return leaf(l, r, path);
    const shape = shapeOf(r ?? l, s, registry);
    if (shape.kind === 'leaf' || (shape.kind === 'object' && shape.atomic)) return leaf(l, r, path);
    if (shape.kind === 'object') {
      const lo = isPlainObject(l) ? l : {};
      const ro = isPlainObject(r) ? r : {};
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        visit(lo[k], ro[k], shape.child(k), [...path, fieldElement(k)]);
      }
      return node(l, r, path);
    }
    const li = Array.isArray(l) ? itemsByElement(l, shape, registry, path, false) : new Map<PathElement, unknown>();
    const ri = Array.isArray(r) ? itemsByElement(r, shape, registry, path, false) : new Map<PathElement, unknown>();
    if (!li || !ri) return leaf(l, r, path);
    for (const pe of new Set([...li.keys(), ...ri.keys()])) visit(li.get(pe), ri.get(pe), shape.item, [...path, pe]);
    node(l, r, path);
  };
  visit(lhs, rhs, schema, []);
  return c;
}
