/**
 * The dynamic resource table. Built-in rows are added at startup; CustomResourceDefinitions
 * and in-process API groups add and remove rows while the server runs, and discovery,
 * routing and storage follow through onChange.
 */
import type { ResourceType } from '../resource-type.js';
import { builtinResources } from './index.js';
import { compareVersionPriority } from './version-priority.js';

export type ResourceTableChange =
  | { type: 'added'; resource: ResourceType }
  | { type: 'updated'; resource: ResourceType; previous: ResourceType }
  | { type: 'removed'; resource: ResourceType };

export type ResourceTableListener = (change: ResourceTableChange) => void;

function keyOf(group: string, version: string, name: string): string {
  return `${group}/${version}/${name}`;
}

export class ResourceTable {
  private readonly byPlural = new Map<string, ResourceType>();
  private readonly kinds = new Map<string, ResourceType>();
  private readonly listeners = new Set<ResourceTableListener>();

  constructor(rows: Iterable<ResourceType> = []) {
    for (const rt of rows) this.add(rt);
  }

  /** Adds a row, replacing the one with the same group, version and plural. */
  add(rt: ResourceType): void {
    const key = keyOf(rt.group, rt.version, rt.plural);
    const previous = this.byPlural.get(key);
    if (previous) this.kinds.delete(keyOf(previous.group, previous.version, previous.kind));
    this.byPlural.set(key, rt);
    this.kinds.set(keyOf(rt.group, rt.version, rt.kind), rt);
    this.emit(previous ? { type: 'updated', resource: rt, previous } : { type: 'added', resource: rt });
  }

  /** Removes a row; false when there was none. */
  remove(group: string, version: string, plural: string): boolean {
    const key = keyOf(group, version, plural);
    const rt = this.byPlural.get(key);
    if (!rt) return false;
    this.byPlural.delete(key);
    const kindKey = keyOf(group, version, rt.kind);
    if (this.kinds.get(kindKey) === rt) this.kinds.delete(kindKey);
    this.emit({ type: 'removed', resource: rt });
    return true;
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byPlural.get(keyOf(group, version, plural));
  }

  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.kinds.get(keyOf(group, version, kind));
  }

  /** All rows in insertion order (a copy). */
  all(): ResourceType[] {
    return [...this.byPlural.values()];
  }

  /** Group → served versions, preferred version first. Groups keep insertion order. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const rt of this.byPlural.values()) {
      const versions = out.get(rt.group) ?? [];
      if (!versions.includes(rt.version)) versions.push(rt.version);
      out.set(rt.group, versions);
    }
    for (const versions of out.values()) versions.sort(compareVersionPriority);
    return out;
  }

  /** Registers a listener for later changes; returns the unsubscribe function. */
  onChange(listener: ResourceTableListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(change: ResourceTableChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

export function newBuiltinResourceTable(): ResourceTable {
  return new ResourceTable(builtinResources());
}
