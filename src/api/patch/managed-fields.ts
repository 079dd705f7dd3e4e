/**
 * `metadata.managedFields` as the apiserver's field manager keeps it
 * (apimachinery pkg/util/managedfields/internal): decoding and encoding entries, and the
 * bookkeeping of an Update operation (create, update, non-apply patch).
 */
import type { Schema } from '../schema/types.js';
import { isPlainObject, type KubeObject, type ManagedFieldsEntry } from '../object.js';
import { FieldSet, fieldElement, fromFieldsV1, toFieldsV1 } from './fieldpath.js';
import { shapeOf, type SchemaResolver } from './fieldpath-schema.js';
import { compareObjects, excludeFields, type Comparison } from './fieldpath-walk.js';

/** Upstream's DefaultMaxUpdateManagers: older Update entries merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';

/** Fields no manager ever owns (upstream's stripMetaManager). */
export const STRIPPED_FIELDS = FieldSet.of(
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => ['f:metadata', fieldElement(f)],
  ),
);

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  /** Kept for Apply entries too, though it is not part of their identity. */
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

/** Entries by identity: manager, operation, apiVersion (Update only) and subresource. */
export type ManagedFields = Map<string, ManagerEntry>;

/** Identity of an entry, spelled like upstream's BuildManagerIdentifier (JSON of those fields). */
export function managerIdentifier(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** How conflict messages name an entry: `"m"`, `"m" with subresource "status"`, `"m" using apps/v1`. */
export function describeManager(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

export class ManagedFieldsDecodeError extends Error {
  override readonly name = 'ManagedFieldsDecodeError';
}

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagedFields {
  const out: ManagedFields = new Map();
  for (const [i, raw] of (entries ?? []).entries()) {
    if (!isPlainObject(raw)) throw new ManagedFieldsDecodeError(`managedFields[${i}]: expected an object`);
    const e = raw as ManagedFieldsEntry;
    if (e.fieldsType !== 'FieldsV1') throw new ManagedFieldsDecodeError(`managedFields[${i}]: expected FieldsType "FieldsV1", got ${JSON.stringify(e.fieldsType ?? '')}`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      throw new ManagedFieldsDecodeError(`managedFields[${i}]: unknown operation ${JSON.stringify(e.operation ?? '')}`);
    }
    let fields: FieldSet;
    try {
      fields = fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      throw new ManagedFieldsDecodeError(`managedFields[${i}]: ${(err as Error).message}`);
    }
    const entry: ManagerEntry = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion ?? '', fields };
    if (e.subresource) entry.subresource = e.subresource;
    if (e.time) entry.time = e.time;
    const id = managerIdentifier(entry);
    if (out.has(id)) throw new ManagedFieldsDecodeError(`duplicate entries for manager ${id}`);
    out.set(id, entry);
  }
  return out;
}

function decodeOrEmpty(entries: readonly ManagedFieldsEntry[] | undefined): ManagedFields {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

/** Entries in upstream's order: Apply before Update, then oldest first, then by name. */
export function encodeManagedFields(managed: ManagedFields): ManagedFieldsEntry[] {
  const entries = [...managed.values()].filter((e) => !e.fields.isEmpty());
  const seconds = (t?: string): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return entries.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = toFieldsV1(e.fields);
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 3339 at whole seconds, as metav1.Time serializes. */
export function formatTime(now: Date | number): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `obj` carrying `managed` (no managedFields at all when there are no entries). */
export function withManagedFields(obj: KubeObject, managed: ManagedFields): KubeObject {
  const out = { ...obj, metadata: { ...obj.metadata } };
  const entries = encodeManagedFields(managed);
  if (entries.length) out.metadata.managedFields = entries;
  else delete out.metadata.managedFields;
  return out;
}

export function withoutManagedFields<T>(obj: T): T {
  if (!isPlainObject(obj) || !isPlainObject(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata } as T;
}

/**
 * What a create compares against: the zero value of the kind. Go structs held by value
 * (metadata, spec, template, …) exist in it, so creating them is not "adding" them and they
 * get no `.` entry; maps, list items and fields of unknown schema do. skiff cannot tell a
 * pointer struct from a value struct, so every struct present in `obj` counts as a value;
 * required lists and maps (no `omitempty`, e.g. `containers`) are there as null.
 */
export function zeroObjectLike(obj: unknown, schema: Schema | undefined, registry: SchemaResolver): Record<string, unknown> {
  const zero = (v: unknown, s: Schema | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const shape = shapeOf(v, s, registry);
    if (shape.kind !== 'object' || shape.atomic) return out;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (!shape.declared(k) || child === null || typeof child !== 'object') continue;
      const cs = shapeOf(child, shape.child(k), registry);
      if (cs.kind === 'object' && cs.struct && !cs.atomic) out[k] = zero(child, shape.child(k));
      else if (shape.required(k)) out[k] = null;
    }
    return out;
  };
  return zero(obj, schema);
}

export interface UpdateManagedFieldsArgs {
  /** The stored object before the write; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored (may carry client-supplied managedFields). */
  obj: KubeObject;
  /** fieldManager query parameter, or the User-Agent's command name. */
  manager: string;
  /** Group/version the request was made in, e.g. `apps/v1`. */
  apiVersion: string;
  subresource?: string;
  now: Date | number;
  schema: Schema | undefined;
  registry: SchemaResolver;
  /** Fields this endpoint does not let the request change (status on the main resource, …). */
  ignoredFields?: FieldSet;
}

/**
 * The starting entries of an Update: those the request carries when it sets them on purpose
 * (`[]` or `[{}]` reset them), else the live object's. Subresources always use the live ones.
 */
function decodeLiveOrNew(old: KubeObject | undefined, obj: KubeObject, isSubresource: boolean): ManagedFields {
  const live = old?.metadata?.managedFields;
  if (isSubresource) return decodeOrEmpty(live);
  const requested = obj.metadata?.managedFields;
  if (Array.isArray(requested)) {
    if (requested.length === 0) return new Map();
    if (requested.length === 1 && isPlainObject(requested[0]) && Object.keys(requested[0]).length === 0) return new Map();
  }
  let managed: ManagedFields;
  try {
    managed = decodeManagedFields(requested);
  } catch {
    managed = new Map();
  }
  return managed.size > 0 ? managed : decodeOrEmpty(live);
}

/**
 * Records an Update operation: the fields this write added or changed now belong to
 * `manager`'s Update entry; other entries lose them and any removed fields; empty entries go.
 * Returns `obj` with `metadata.managedFields` set.
 */
export function updateManagedFields(args: UpdateManagedFieldsArgs): KubeObject {
  const managed = decodeLiveOrNew(args.old, args.obj, args.subresource !== undefined && args.subresource !== '');
  // An existing object nobody tracks stays untracked until someone applies (upstream's
  // skipNonAppliedManager); creates are always tracked.
  if (managed.size === 0 && args.old !== undefined) return withManagedFields(args.obj, managed);
  recordUpdate(managed, {
    old: args.old === undefined ? zeroObjectLike(args.obj, args.schema, args.registry) : args.old,
    obj: args.obj,
    entry: { manager: args.manager, operation: 'Update', apiVersion: args.apiVersion, subresource: args.subresource || undefined },
    now: args.now,
    schema: args.schema,
    registry: args.registry,
    ignoredFields: args.ignoredFields,
  });
  capUpdateManagers(managed, MAX_UPDATE_MANAGERS);
  return withManagedFields(args.obj, managed);
}

export interface RecordUpdateArgs {
  old: unknown;
  obj: unknown;
  entry: Omit<ManagerEntry, 'fields' | 'time'>;
  now: Date | number;
  schema: Schema | undefined;
  registry: SchemaResolver;
  ignoredFields?: FieldSet;
}

/** The core of an Update, in place on `managed`. Returns the comparison it was based on. */
export function recordUpdate(managed: ManagedFields, a: RecordUpdateArgs): Comparison {
  const c = excludeFields(
    compareObjects(withoutManagedFields(a.old), withoutManagedFields(a.obj), a.schema, a.registry),
    a.ignoredFields,
  );
  const changed = c.added.union(c.modified);
  const lost = changed.union(c.removed);
  for (const [id, e] of managed) {
    e.fields = e.fields.difference(lost);
    if (e.fields.isEmpty()) managed.delete(id);
  }
  const taken = changed.difference(STRIPPED_FIELDS);
  if (!taken.isEmpty()) {
    const id = managerIdentifier(a.entry);
    const previous = managed.get(id);
    managed.set(id, { ...a.entry, fields: previous ? previous.fields.union(taken) : taken, time: formatTime(a.now) });
    if (!a.entry.subresource) delete managed.get(id)!.subresource;
  }
  return c;
}

/** Merges the oldest Update entries into per-version `ancient-changes` entries beyond `max`. */
export function capUpdateManagers(managed: ManagedFields, max: number): void {
  const updaters = [...managed.entries()].filter(([, e]) => e.operation === 'Update');
  if (updaters.length <= max) return;
  const seconds = (t?: string): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || cmp(ia, ib));
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, e] of updaters) {
    if (count <= max) break;
    const bucket: Omit<ManagerEntry, 'fields'> = { manager: ANCIENT_CHANGES_MANAGER, operation: 'Update', apiVersion: e.apiVersion };
    const bucketId = managerIdentifier(bucket);
    const first = firstOfVersion.get(e.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(e.apiVersion, id);
      continue;
    }
    if (!managed.has(bucketId)) {
      const seed = managed.get(first)!;
      managed.delete(first);
      managed.set(bucketId, { ...bucket, fields: seed.fields, time: seed.time });
    }
    const b = managed.get(bucketId)!;
    b.fields = b.fields.union(e.fields);
    b.time = e.time;
    managed.delete(id);
    count--;
  }
}
