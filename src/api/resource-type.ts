/**
 * A row of the resource table: everything the server needs to know about one resource,
 * as data. The generic registry, discovery, OpenAPI, routing and Table printing all read it.
 * The table is dynamic: CustomResourceDefinitions add and remove rows at runtime.
 */
import type { FieldError } from './field-errors.js';
import type { KubeObject } from './object.js';

export interface SubresourceType {
  /** e.g. 'status', 'scale', 'binding', 'eviction', 'log', 'exec'. */
  name: string;
  /** Response kind; for status it is the resource's own kind, for scale `autoscaling/v1 Scale`. */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** One column of server-side Table printing (meta.k8s.io/v1 TableColumnDefinition). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0 = always shown; 1 = shown with -o wide. */
  priority: number;
}

export interface Printer {
  columns: TableColumn[];
  /** One row's cells, in column order. `now` is the current time in ms for AGE columns. */
  row(obj: KubeObject, now: number): unknown[];
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural resource name (the URL segment). */
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** Discovery verbs of the main resource. */
  verbs: string[];
  subresources: SubresourceType[];
  /**
   * Per-resource field selectors beyond metadata.name and metadata.namespace (which every
   * resource supports): field path → value extractor. The value is compared as a string.
   */
  fieldSelectors?: Record<string, (obj: KubeObject) => string>;
  /** Fills in defaults in place (upstream's SetDefaults_*). */
  defaults?(obj: KubeObject): void;
  /** Validation on create (old undefined) and update; returns upstream-worded field errors. */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
  /** Server-side Table printing; absent → the default NAME / AGE table. */
  printer?: Printer;
  /**
   * Top-level fields that are not part of the spec for generation purposes (besides metadata
   * and status). Generation is bumped when anything else changes. e.g. ConfigMap has no
   * generation semantics: `generation: false`.
   */
  generation?: boolean;
  /** True when the object must not be updated at all after creation except metadata (e.g. Events are mutable; ControllerRevisions data is immutable). */
  storageVersionHash?: string;
}

export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function hasSubresource(rt: ResourceType, name: string): boolean {
  return rt.subresources.some((s) => s.name === name);
}
