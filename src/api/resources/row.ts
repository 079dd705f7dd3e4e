/**
 * Building blocks for resource table rows, so each API group file reads as plain data.
 * Verb lists follow upstream discovery (sorted alphabetically, as the apiserver emits them).
 */
import type { ResourceType, SubresourceType } from '../resource-type.js';

/** The verbs of an ordinary stored resource. */
export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A status subresource: its response kind is the parent's own kind. */
export function statusSubresource(kind: string): SubresourceType {
  return { name: 'status', kind, verbs: ['get', 'patch', 'update'] };
}

/** The scale subresource is always served as autoscaling/v1 Scale (kubectl scale relies on it). */
export function scaleSubresource(): SubresourceType {
  return { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
}

export type RowSpec = Omit<ResourceType, 'listKind' | 'shortNames' | 'categories' | 'verbs' | 'subresources'> &
  Partial<Pick<ResourceType, 'listKind' | 'shortNames' | 'categories' | 'verbs' | 'subresources'>>;

/** Fills the parts most rows share: `<Kind>List`, no short names or categories, standard verbs. */
export function row(spec: RowSpec): ResourceType {
  return {
    ...spec,
    listKind: spec.listKind ?? `${spec.kind}List`,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? STANDARD_VERBS,
    subresources: spec.subresources ?? [],
  };
}
