/**
 * The part of the registry one document needs: the definitions its operations name and
 * everything those refer to, so every `$ref` resolves inside the served document.
 */
import type { Schema, TypeRegistry } from '../../api/schema/types.js';

const refPrefix = '#/components/schemas/';

export function reachableDefinitions(roots: Iterable<string>, registry: TypeRegistry): Record<string, Schema> {
  const all = registry.definitions();
  const out: Record<string, Schema> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (out[name] || !all[name]) continue;
    out[name] = all[name];
    collectRefs(all[name], queue);
  }
  return sortedByKey(out);
}

function collectRefs(node: unknown, into: string[]): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) collectRefs(child, into);
    return;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(refPrefix)) into.push(child.slice(refPrefix.length));
    else if (key !== 'enum' && key !== 'default') collectRefs(child, into);
  }
}

/** Copies a schema with every `#/components/schemas/` ref pointed at `prefix` instead. */
export function rewriteRefs<T>(node: T, prefix: string): T {
  if (!node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((child) => rewriteRefs(child, prefix)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith(refPrefix)
        ? prefix + child.slice(refPrefix.length)
        : key === 'enum' || key === 'default'
          ? child
          : rewriteRefs(child, prefix);
  }
  return out as T;
}

export function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Copies a schema with every `$ref` that has sibling keywords (a property's description)
 * wrapped as `allOf: [{$ref}]`: OpenAPI 3.0 ignores a `$ref`'s siblings, and upstream's v3
 * documents spell described references this way, which is what `kubectl explain` reads.
 */
export function wrapDescribedRefs<T>(node: T): T {
  if (!node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((child) => wrapDescribedRefs(child)) as T;
  const out: Record<string, unknown> = {};
  let ref: string | undefined;
  for (const [key, child] of Object.entries(node)) {
    if (key === '$ref' && typeof child === 'string') ref = child;
    else out[key] = key === 'enum' || key === 'default' ? child : wrapDescribedRefs(child);
  }
  if (ref === undefined) return out as T;
  if (Object.keys(out).length === 0) return { $ref: ref } as T;
  return { allOf: [{ $ref: ref }], ...out } as T;
}
