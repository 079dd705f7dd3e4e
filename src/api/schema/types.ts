/**
 * skiff's type registry speaks OpenAPI v3 schema objects (the subset Kubernetes uses),
 * with upstream's extensions. The same registry drives /openapi/v2 and /openapi/v3,
 * `kubectl explain`, strict field validation, strategic merge patch and server-side apply.
 *
 * Definitions are keyed by upstream's definition names, e.g. `io.k8s.api.apps.v1.Deployment`,
 * and refer to each other with `$ref: '#/components/schemas/<name>'`.
 */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  /** Maps: the value schema (`additionalProperties: {type: string}` for labels). */
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  default?: unknown;
  allOf?: Schema[];
  /** Strategic merge patch: the key that identifies list items (`name` for containers). */
  'x-kubernetes-patch-merge-key'?: string;
  /** Strategic merge patch: `merge`, `retainKeys`, `merge,retainKeys` or `replace`. */
  'x-kubernetes-patch-strategy'?: string;
  /** Server-side apply: `atomic` | `set` | `map` for lists. */
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  /** Server-side apply: `atomic` | `granular` for maps/structs. */
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-unions'?: unknown[];
}

/** What the rest of skiff asks of the type registry. */
export interface TypeRegistry {
  /** All definitions, keyed by upstream definition name. */
  definitions(): Record<string, Schema>;
  /** Definition name of a kind (e.g. `io.k8s.api.apps.v1.Deployment`), or undefined if unknown. */
  definitionNameFor(gvk: GroupVersionKind): string | undefined;
  /** The root schema of a kind, or undefined if unknown. */
  schemaFor(gvk: GroupVersionKind): Schema | undefined;
  /** Follows `$ref` (and a single-element allOf wrapper) until a concrete schema. */
  resolve(schema: Schema): Schema;
}
