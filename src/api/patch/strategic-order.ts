/**
 * Element order of merged lists (apimachinery strategicpatch normalizeElementOrder and
 * friends). Precedence: `$setElementOrder` > order in the patch list > order in the live list.
 * Items of the patch and server-only items are each sorted by their own order, then
 * interleaved using the live list as the tie-breaker.
 *
 * NOTE: an item the live list does not know cannot be compared with server-only items, so it
 * goes before them: patching `[a, b]` with `[c]` (no `$setElementOrder`) yields `[c, a, b]`.
 * That is what upstream does; kubectl sends `$setElementOrder` whenever order matters.
 */
import { StrategicMergePatchError } from './errors.js';
import { formatGoValue } from './go-format.js';
import { hasOwn, isJsonObject } from './json-value.js';
import { badArgType, badSetElementOrderFormat, noMergeKey } from './strategic-errors.js';

export const DIRECTIVE_MARKER = '$patch';
export const DELETE_DIRECTIVE = 'delete';

/** Identity of a list item: the merge key's value for maps, the item itself for scalars. */
function identity(item: unknown, mergeKey: string, isMap: boolean): unknown {
  if (!isMap) return item;
  return isJsonObject(item) ? item[mergeKey] : undefined;
}

function indexOf(list: readonly unknown[], item: unknown, mergeKey: string, isMap: boolean): number {
  const id = identity(item, mergeKey, isMap);
  return list.findIndex((candidate) => identity(candidate, mergeKey, isMap) === id);
}

export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  isMap: boolean,
): unknown[] {
  const sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, isMap);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, isMap);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, isMap);
}

/** Sorts `toSort` by position in `order`; `$patch: delete` items go last. */
function normalizeSliceOrder(toSort: unknown[], order: readonly unknown[], mergeKey: string, isMap: boolean): unknown[] {
  let kept = toSort;
  let deletions: unknown[] = [];
  if (isMap) {
    validateMergeKeyInLists(mergeKey, toSort, order);
    kept = toSort.filter((item) => (item as Record<string, unknown>)[DIRECTIVE_MARKER] !== DELETE_DIRECTIVE);
    deletions = toSort.filter((item) => (item as Record<string, unknown>)[DIRECTIVE_MARKER] === DELETE_DIRECTIVE);
  }
  const position = (item: unknown) => indexOf(order, item, mergeKey, isMap);
  const sorted = [...kept].sort((a, b) => {
    const pa = position(a);
    const pb = position(b);
    return pa >= 0 && pb >= 0 ? pa - pb : 0;
  });
  return [...sorted, ...deletions];
}

/**
 * Interleaves two sorted, disjoint lists: a `left` item goes first only when both items are
 * in `serverOrder` and it comes earlier there.
 */
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  isMap: boolean,
): unknown[] {
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      result.push(right[j++]);
    } else if (j >= right.length) {
      result.push(left[i++]);
    } else {
      const li = indexOf(serverOrder, left[i], mergeKey, isMap);
      const ri = indexOf(serverOrder, right[j], mergeKey, isMap);
      if (li >= 0 && ri >= 0 && li < ri) result.push(left[i++]);
      else result.push(right[j++]);
    }
  }
  return result;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: (readonly unknown[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw badArgType('map', item);
      if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
}

/** Splits `list` into items present in `partitionBy` and the rest, keeping order. */
export function partitionByPresence(
  list: readonly unknown[],
  partitionBy: readonly unknown[],
  mergeKey: string,
): { present: unknown[]; absent: unknown[] } {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of list) {
    let found: boolean;
    if (mergeKey === '') {
      found = partitionBy.includes(item);
    } else {
      if (!isJsonObject(item)) throw badArgType('map', item);
      if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      found = findByMergeKey(partitionBy, mergeKey, item[mergeKey]) >= 0;
    }
    (found ? present : absent).push(item);
  }
  return { present, absent };
}

/** Index of the first map whose merge key equals `value`; every item must be a map. */
export function findByMergeKey(list: readonly unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJsonObject(item)) throw new StrategicMergePatchError(`value for key ${i} is not a map.`);
    if (hasOwn(item, mergeKey) && item[mergeKey] === value) return i;
  }
  return -1;
}

/**
 * Checks that the patch list is a subsequence of `$setElementOrder` (ignoring deletions and
 * other directive items), as upstream's validatePatchWithSetOrderList does.
 */
export function validatePatchWithSetOrderList(patchList: unknown, setOrderList: unknown, mergeKey: string): void {
  if (!Array.isArray(setOrderList) || !Array.isArray(patchList)) {
    throw badSetElementOrderFormat();
  }
  if (setOrderList.length === 0 || patchList.length === 0) return;
  let items: unknown[] = patchList;
  if (mergeKey !== '') {
    for (const item of patchList) if (!isJsonObject(item)) throw badArgType('map', item);
    items = patchList.filter((item) => (item as Record<string, unknown>)[DIRECTIVE_MARKER] !== DELETE_DIRECTIVE);
  }
  let p = 0;
  let s = 0;
  while (p < items.length && s < setOrderList.length) {
    const item = items[p];
    if (isJsonObject(item) && hasOwn(item, DIRECTIVE_MARKER)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, setOrderList[s], mergeKey)) p++;
    s++;
  }
  if (p < items.length && s >= setOrderList.length) {
    throw new StrategicMergePatchError(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match $setElementOrder list:\n${formatGoValue(setOrderList)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isJsonObject(left)) throw badArgType('map', left);
  if (!isJsonObject(right)) throw badArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}
