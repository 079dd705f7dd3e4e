/**
 * The object half of server-side apply: merging an applied configuration into the live
 * object by the schema's list and map types, and removing fields by path.
 */
import type { Schema } from '../schema/types.js';
import { deepCopy, isPlainObject } from '../object.js';
import { FieldSet, fieldElement, type PathElement } from './fieldpath.js';
import { shapeOf, type SchemaResolver } from './fieldpath-schema.js';
import { itemsByElement } from './fieldpath-walk.js';

/**
 * `applied` merged into `live`: granular structs, maps and lists merge member by member,
 * leaves and atomic parts are replaced. A `null` in the configuration removes the field.
 * Callers validate `applied` first (fieldSetFromObject with `strict`).
 */
export function mergeApplied(live: unknown, applied: unknown, schema: Schema | undefined, registry: SchemaResolver): unknown {
  const merge = (l: unknown, r: unknown, s: Schema | undefined, path: PathElement[]): unknown => {
    if (r === undefined) return deepCopy(l);
    if (l === undefined || l === null || r === null) return deepCopy(r);
    const shape = shapeOf(r, s, registry);
    if (shape.kind === 'leaf' || (shape.kind === 'object' && shape.atomic)) return deepCopy(r);
    if (shape.kind === 'object') {
      if (!isPlainObject(l)) return deepCopy(r);
      const out: Record<string, unknown> = deepCopy(l);
      for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
        if (v === undefined) continue;
        if (v === null) delete out[k];
        else out[k] = merge(l[k], v, shape.child(k), [...path, fieldElement(k)]);
      }
      return out;
    }
    if (!Array.isArray(l)) return deepCopy(r);
    const li = itemsByElement(l, shape, registry, path, false);
    const ri = itemsByElement(r as unknown[], shape, registry, path, true);
    if (!li || !ri) return deepCopy(r);
    return mergeListOrder([...li.keys()], [...ri.keys()]).map((pe) =>
      merge(li.get(pe), ri.get(pe), shape.item, [...path, pe]),
    );
  };
  return merge(live, applied, schema, []);
}

/**
 * Order of a merged list: items only the live object has keep their place, items in both
 * follow the configuration's order, new items go where the configuration puts them
 * relative to the items around them.
 */
export function mergeListOrder(live: PathElement[], applied: PathElement[]): PathElement[] {
  const inApplied = new Set(applied);
  const inLive = new Set(live);
  const shared = applied.filter((pe) => inLive.has(pe));
  let nextShared = 0;
  const out: PathElement[] = [];
  let i = 0;
  let j = 0;
  while (i < live.length || j < applied.length) {
    const l = live[i];
    if (l !== undefined && l === applied[j]) {
      out.push(l);
      i++;
      j++;
      nextShared++;
      continue;
    }
    if (l !== undefined && !inApplied.has(l)) {
      out.push(l);
      i++;
      continue;
    }
    // A shared live item waits for its turn in the configuration's order.
    if (l !== undefined && l !== shared[nextShared]) {
      i++;
      continue;
    }
    if (j < applied.length) {
      const r = applied[j]!;
      out.push(r);
      if (r === shared[nextShared]) nextShared++;
      j++;
      continue;
    }
    i++;
  }
  return out;
}

/** `value` without the fields that are members of `remove` (a member takes its subtree along). */
export function removeFields(value: unknown, remove: FieldSet, schema: Schema | undefined, registry: SchemaResolver): unknown {
  const walk = (v: unknown, rm: FieldSet, s: Schema | undefined, path: PathElement[]): unknown => {
    if (rm.isEmpty()) return v;
    const shape = shapeOf(v, s, registry);
    if (shape.kind === 'object' && !shape.atomic) {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const pe = fieldElement(k);
        if (rm.has([pe])) continue;
        out[k] = walk(child, rm.withPrefix(pe), shape.child(k), [...path, pe]);
      }
      return out;
    }
    if (shape.kind === 'list') {
      const items = itemsByElement(v as unknown[], shape, registry, path, false);
      if (!items) return v;
      const out: unknown[] = [];
      for (const [pe, item] of items) {
        if (rm.has([pe])) continue;
        out.push(walk(item, rm.withPrefix(pe), shape.item, [...path, pe]));
      }
      return out;
    }
    return v;
  };
  return walk(value, remove, schema, []);
}
