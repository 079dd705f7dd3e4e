/**
 * Kubernetes strategic merge patch, applied server-side (apimachinery pkg/util/strategicpatch
 * StrategicMergeMapPatch: MergeParallelList and IgnoreUnmatchedNulls both on).
 *
 * Per field the schema says how to merge: maps merge recursively unless the strategy is
 * `replace`; lists are replaced unless the strategy is `merge`, in which case lists of objects
 * merge item by item on the merge key and lists of scalars are unioned. Directives:
 * `$patch: replace|delete` (on a map or as a list item), `$retainKeys`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
 *
 * Upstream behaviours kept on purpose (kubectl users observe them):
 * - `$patch: delete` on a map leaves `{}`; `$patch: merge` is rejected (`unknown patch type`).
 * - a field missing from the live object takes the patch value verbatim, directives and all;
 *   the typed decode / pruning step after patching has to drop or reject them.
 * - `$deleteFromPrimitiveList/x` on an object without `x` sets `x` to the deletion list.
 * - new list items without `$setElementOrder` go before the server-only items.
 */
import type { GroupVersionKind, Schema, TypeRegistry } from '../schema/types.js';
import { MalformedPatchError, StrategicMergeNotSupportedError, StrategicMergePatchError } from './errors.js';
import { formatGoValue } from './go-format.js';
import { cloneJson, hasOwn, isJsonObject, jsonKind, setOwn, type JsonKind, type JsonObject } from './json-value.js';
import { itemSchema, lookupPatchMeta, type PatchMeta } from './patch-meta.js';
import {
  badArgType,
  badPrimitiveListFormat,
  badRetainKeysFormat,
  badSetElementOrderFormat,
  noListOfLists,
  noMergeKey,
  unknownPatchType,
} from './strategic-errors.js';
import {
  DELETE_DIRECTIVE,
  DIRECTIVE_MARKER,
  findByMergeKey,
  normalizeElementOrder,
  partitionByPresence,
  validatePatchWithSetOrderList,
} from './strategic-order.js';

const REPLACE_DIRECTIVE = 'replace';
const MERGE_DIRECTIVE = 'merge';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/**
 * Applies `patch` to a copy of `original` (neither input is modified). `schema` is the kind's
 * root schema; without one the kind is not strategic-patchable.
 *
 * NOTE: the apiserver must decide "custom resource → 415" from the resource itself, as
 * upstream does by leaving the media type out of CRD handlers; a CRD with a published schema
 * still does not accept strategic merge patch.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  schema: Schema | undefined,
  registry: TypeRegistry,
): JsonObject {
  if (!schema) throw new StrategicMergeNotSupportedError('');
  if (!isJsonObject(original)) throw new MalformedPatchError('invalid JSON document');
  // `null` decodes into a nil map upstream, which patches nothing.
  if (patch === null || patch === undefined) return cloneJson(original);
  if (!isJsonObject(patch)) {
    const kind = Array.isArray(patch) ? 'array' : typeof patch;
    throw new MalformedPatchError(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return mergeMap(cloneJson(original), cloneJson(patch), registry.resolve(schema), registry);
}

/** As applyStrategicMergePatch, looking the root schema up by kind. */
export function applyStrategicMergePatchForKind(
  original: unknown,
  patch: unknown,
  gvk: GroupVersionKind,
  registry: TypeRegistry,
): JsonObject {
  const schema = registry.schemaFor(gvk);
  if (!schema) throw new StrategicMergeNotSupportedError(gvk.kind);
  return applyStrategicMergePatch(original, patch, schema, registry);
}

/** Merges `patch` into `original` in place (both are private copies) and returns the result. */
function mergeMap(
  original: JsonObject | undefined,
  patch: JsonObject,
  schema: Schema | undefined,
  registry: TypeRegistry,
): JsonObject {
  if (hasOwn(patch, DIRECTIVE_MARKER)) return mapDirective(patch[DIRECTIVE_MARKER], patch);
  const result = original ?? {};
  applyRetainKeys(result, patch);
  mergeOrderedLists(result, patch, schema, registry);

  for (const patchKey of Object.keys(patch)) {
    const patchValue = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
    }
    if (patchValue === null) {
      delete result[key];
      continue;
    }
    if (!hasOwn(result, key)) {
      setOwn(result, key, patchValue);
      continue;
    }
    const current = result[key];
    if (jsonKind(current) !== jsonKind(patchValue)) {
      setOwn(result, key, patchValue);
      continue;
    }
    const meta = lookupPatchMeta(schema, key, registry);
    if (isJsonObject(current)) {
      const merged =
        meta.strategy === REPLACE_DIRECTIVE ? patchValue : mergeMap(current, patchValue as JsonObject, meta.schema, registry);
      setOwn(result, key, merged);
    } else if (Array.isArray(current)) {
      setOwn(result, key, mergeList(current, patchValue as unknown[], meta, isDeleteList, registry));
    } else {
      setOwn(result, key, patchValue);
    }
  }
  return result;
}

function mapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  throw unknownPatchType(directive, patch);
}

/** `$retainKeys`: drop every key of `original` the list does not name. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw badRetainKeysFormat();
  const retained = new Set<unknown>(retainKeys);
  for (const key of Object.keys(patch)) {
    if (patch[key] === null) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    // A patch may not set a field it asks to drop.
    if (!retained.has(key)) throw badRetainKeysFormat();
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<list>`: merges the named list together with its order directive and
 * removes both from `patch`, so the main loop does not see them again.
 */
function mergeOrderedLists(
  original: JsonObject,
  patch: JsonObject,
  schema: Schema | undefined,
  registry: TypeRegistry,
): void {
  for (const patchKey of Object.keys(patch)) {
    if (!patchKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[patchKey];
    delete patch[patchKey];
    if (!Array.isArray(order)) throw badArgType('list', order);
    const key = extractKey(patchKey, SET_ELEMENT_ORDER_PREFIX);

    const inOriginal = hasOwn(original, key);
    const inPatch = hasOwn(patch, key);
    const originalList = inOriginal ? asList(original[key]) : [];
    const patchList = inPatch ? asList(patch[key]) : [];
    const meta = lookupPatchMeta(schema, key, registry);
    validatePatchWithSetOrderList(patchList, order, meta.mergeKey);

    let merged: unknown[];
    if (inOriginal && inPatch) merged = mergeList(originalList, patchList, meta, false, registry);
    else if (inOriginal) merged = originalList;
    else if (inPatch) merged = patchList;
    else continue;

    const { present, absent } = partitionByPresence(merged, order, meta.mergeKey);
    const isMap = sliceElementKind(originalList, patchList) === 'object';
    setOwn(original, key, normalizeElementOrder(present, absent, order, originalList, meta.mergeKey, isMap));
    delete patch[key];
  }
}

function asList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw badArgType('list', value);
  return value;
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  meta: PatchMeta,
  isDeleteList: boolean,
  registry: TypeRegistry,
): unknown[] {
  if (meta.strategy !== MERGE_DIRECTIVE) return patch;
  return mergeSlice(original, patch, itemSchema(meta.schema, registry), meta.mergeKey, isDeleteList, registry);
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  elementSchema: Schema | undefined,
  mergeKey: string,
  isDeleteList: boolean,
  registry: TypeRegistry,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const isMap = sliceElementKind(original, patch) === 'object';

  if (!isMap) {
    if (isDeleteList) return original.filter((item) => !patch.includes(item));
    const merged = dedupe([...original, ...patch]);
    const { present, absent } = partitionByPresence(merged, patch, '');
    return normalizeElementOrder(present, absent, patch, original, '', false);
  }

  if (mergeKey === '') throw new StrategicMergePatchError('cannot merge lists without merge key for type struct');
  const special = applySpecialItems(original, patch, mergeKey);
  const merged = mergeItems(special.original, special.patch, mergeKey, elementSchema, registry);
  const { present, absent } = partitionByPresence(merged, special.patch, mergeKey);
  return normalizeElementOrder(present, absent, special.patch, special.original, mergeKey, true);
}

/**
 * Handles list items carrying `$patch`: `delete` removes every live item with that merge key,
 * `replace` makes the other patch items the whole list.
 */
function applySpecialItems(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let live = original;
  let replace = false;
  for (const item of patch) {
    if (!isJsonObject(item)) throw badArgType('map', item);
    if (!hasOwn(item, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER];
    if (directive === DELETE_DIRECTIVE) {
      if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      live = deleteMatching(live, mergeKey, item[mergeKey]);
    } else if (directive === REPLACE_DIRECTIVE) {
      replace = true;
    } else if (directive === MERGE_DIRECTIVE) {
      throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw unknownPatchType(directive, item);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: live, patch: plain };
}

function deleteMatching(list: unknown[], mergeKey: string, value: unknown): unknown[] {
  let remaining = list;
  for (let index = findByMergeKey(remaining, mergeKey, value); index >= 0; index = findByMergeKey(remaining, mergeKey, value)) {
    remaining = [...remaining.slice(0, index), ...remaining.slice(index + 1)];
  }
  return remaining;
}

/** Merges each patch item into the live item with the same merge key, or appends it. */
function mergeItems(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  elementSchema: Schema | undefined,
  registry: TypeRegistry,
): unknown[] {
  const result = [...original];
  for (const item of patch) {
    const patchItem = item as JsonObject;
    if (!hasOwn(patchItem, mergeKey)) throw noMergeKey(patchItem, mergeKey);
    const index = findByMergeKey(result, mergeKey, patchItem[mergeKey]);
    if (index >= 0) result[index] = mergeMap(result[index] as JsonObject, patchItem, elementSchema, registry);
    else result.push(patchItem);
  }
  return result;
}

/** The common JSON kind of the items of all lists; upstream's sliceElementType. */
function sliceElementKind(...lists: unknown[][]): JsonKind {
  let kind: JsonKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = jsonKind(item);
      if (kind === undefined) {
        if (current === 'array') throw noListOfLists();
        kind = current;
      } else if (current !== kind) {
        throw new StrategicMergePatchError(`list element types are not identical: ${formatGoValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw new StrategicMergePatchError('no elements in any of the given slices');
  return kind;
}

function dedupe(items: unknown[]): unknown[] {
  return items.filter((item, index) => items.indexOf(item) === index);
}

/** `$setElementOrder/containers` → `containers`; a prefix without `/` is malformed. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX ? badPrimitiveListFormat() : badSetElementOrderFormat();
  }
  return key.slice(slash + 1);
}
