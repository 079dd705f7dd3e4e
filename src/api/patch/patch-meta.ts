/**
 * Strategic-merge metadata of one field, read from the type registry's OpenAPI schemas
 * (the same facts upstream reads from Go struct tags `patchStrategy` / `patchMergeKey`).
 */
import type { Schema, TypeRegistry } from '../schema/types.js';
import { StrategicMergePatchError } from './errors.js';

export interface PatchMeta {
  /** `merge`, `replace` or '' (none); `retainKeys` is split off into `retainKeys`. */
  strategy: string;
  retainKeys: boolean;
  /** Merge key for lists of objects with strategy `merge`; '' when none. */
  mergeKey: string;
  /** Resolved schema of the field's value; undefined when the field is not described. */
  schema: Schema | undefined;
}

const NO_META: PatchMeta = { strategy: '', retainKeys: false, mergeKey: '', schema: undefined };

/**
 * Metadata of `key` inside an object described by `parent` (already resolved). Fields the
 * schema does not describe get no strategy, so maps merge and lists are replaced.
 */
export function lookupPatchMeta(parent: Schema | undefined, key: string, registry: TypeRegistry): PatchMeta {
  if (!parent) return NO_META;
  const property = parent.properties?.[key];
  if (property) {
    const resolved = registry.resolve(property);
    const tag = property['x-kubernetes-patch-strategy'] ?? resolved['x-kubernetes-patch-strategy'] ?? '';
    const { strategy, retainKeys } = parseStrategies(tag);
    const mergeKey = property['x-kubernetes-patch-merge-key'] ?? resolved['x-kubernetes-patch-merge-key'] ?? '';
    return { strategy, retainKeys, mergeKey, schema: resolved };
  }
  const values = parent.additionalProperties;
  if (values && typeof values === 'object') return { ...NO_META, schema: registry.resolve(values) };
  return NO_META;
}

/** Resolved schema of the items of a list field. */
export function itemSchema(list: Schema | undefined, registry: TypeRegistry): Schema | undefined {
  return list?.items ? registry.resolve(list.items) : undefined;
}

/** Splits `merge,retainKeys`-style tags the way upstream's extractRetainKeysPatchStrategy does. */
export function parseStrategies(tag: string): { strategy: string; retainKeys: boolean } {
  const parts = tag.split(',');
  if (parts.length === 1) {
    return parts[0] === 'retainKeys' ? { strategy: '', retainKeys: true } : { strategy: parts[0]!, retainKeys: false };
  }
  if (parts.length === 2) {
    if (parts[0] === 'retainKeys') return { strategy: parts[1]!, retainKeys: true };
    if (parts[1] === 'retainKeys') return { strategy: parts[0]!, retainKeys: true };
  }
  throw new StrategicMergePatchError(`unexpected patch strategy: [${parts.join(' ')}]`);
}
