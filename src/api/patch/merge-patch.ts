/**
 * RFC 7386 JSON merge patch with the edge cases of gopkg.in/evanphx/json-patch.v4 `MergePatch`,
 * which the apiserver uses for `application/merge-patch+json` (kubectl label, annotate, scale,
 * and `apply` of custom resources).
 */
import { MalformedPatchError } from './errors.js';
import { cloneJson, deepEqual, hasOwn, isJsonObject, jsonKind, setOwn, type JsonObject } from './json-value.js';

/**
 * Applies `patch` to a copy of `doc`. `null` deletes a key, objects merge recursively,
 * anything else replaces. Nulls inside values that are added or replaced are dropped.
 *
 * Upstream quirks kept: a list patch becomes the whole result; a `null` or scalar patch is
 * rejected as `Invalid JSON Patch` (400) instead of replacing the document.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneNulls(cloneJson(patch));
  if (!isJsonObject(patch)) throw new MalformedPatchError('Invalid JSON Patch');
  if (!isJsonObject(doc)) return pruneNulls(cloneJson(patch));
  const result = cloneJson(doc);
  mergeObjects(result, cloneJson(patch));
  return result;
}

function mergeObjects(doc: JsonObject, patch: JsonObject): void {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete doc[key];
    } else if (!hasOwn(doc, key)) {
      setOwn(doc, key, pruneNulls(value));
    } else {
      setOwn(doc, key, mergeValue(doc[key], value));
    }
  }
}

function mergeValue(current: unknown, patch: unknown): unknown {
  if (!isJsonObject(current)) return pruneNulls(patch);
  // A non-object patch over an object replaces it as is (v4 does not prune here).
  if (!isJsonObject(patch)) return patch;
  mergeObjects(current, patch);
  return current;
}

function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(pruneNulls);
  if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else setOwn(value, key, pruneNulls(value[key]));
    }
  }
  return value;
}

/**
 * Two-way merge patch that turns `original` into `modified` (evanphx `CreateMergePatch`):
 * changed or added keys carry the new value, removed keys carry `null`, lists are replaced
 * whole. Both documents must be objects.
 */
export function createMergePatch(original: unknown, modified: unknown): JsonObject {
  if (!isJsonObject(original) || !isJsonObject(modified)) throw new MalformedPatchError('Invalid JSON Document');
  return diffObjects(original, modified);
}

function diffObjects(original: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(modified)) {
    const after = modified[key];
    if (!hasOwn(original, key)) {
      setOwn(patch, key, cloneJson(after));
      continue;
    }
    const before = original[key];
    if (jsonKind(before) !== jsonKind(after)) {
      setOwn(patch, key, cloneJson(after));
    } else if (isJsonObject(before)) {
      const nested = diffObjects(before, after as JsonObject);
      if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
    } else if (!deepEqual(before, after)) {
      setOwn(patch, key, cloneJson(after));
    }
  }
  for (const key of Object.keys(original)) {
    if (!hasOwn(modified, key)) setOwn(patch, key, null);
  }
  return patch;
}
