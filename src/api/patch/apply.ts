/**
 * Server-side apply (PATCH with `application/apply-patch+yaml`), after structured-merge-diff's
 * `Updater.Apply` and the apiserver's field-manager wrappers around it:
 * - the applied configuration is merged into the live object by the schema's list/map types;
 * - the manager's Apply entry becomes exactly the set of fields it applied;
 * - fields it applied last time and omits now are removed unless another manager owns them;
 * - changing a field another manager owns is a conflict unless `force`, which moves ownership.
 * Values equal to the live value never conflict, which is what lets a user switch from
 * client-side to server-side apply with the same configuration.
 */
import type { Schema } from '../schema/types.js';
import { deepEqual, isPlainObject, type KubeObject } from '../object.js';
import { ApplyBadRequestError, ApplyConflictError, ApplyInvalidObjectError, type ApplyConflict } from './apply-errors.js';
import { FieldSet, pathString } from './fieldpath.js';
import type { SchemaResolver } from './fieldpath-schema.js';
import { compareObjects, excludeFields, fieldSetFromObject } from './fieldpath-walk.js';
import { mergeApplied, removeFields } from './apply-merge.js';
import {
  STRIPPED_FIELDS,
  decodeManagedFields,
  describeManager,
  formatTime,
  managerIdentifier,
  recordUpdate,
  withManagedFields,
  withoutManagedFields,
  zeroObjectLike,
  type ManagedFields,
  type ManagerEntry,
} from './managed-fields.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The manager whose conflicts with client-side apply's fields are forgiven (upstream's rule). */
export const KUBECTL_MANAGER = 'kubectl';
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

export interface ApplyArgs {
  /** The stored object; undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The configuration from the request body. */
  applied: KubeObject;
  manager: string;
  force: boolean;
  /** Group/version of the request, e.g. `apps/v1`. */
  apiVersion: string;
  subresource?: string;
  now: Date | number;
  schema: Schema | undefined;
  registry: SchemaResolver;
  /** Fields this endpoint does not let the request change (status on the main resource, …). */
  ignoredFields?: FieldSet;
}

export interface ApplyResult {
  /** The merged object with `metadata.managedFields` set. */
  object: KubeObject;
}

/** Throws ApplyConflictError, ApplyInvalidObjectError or ApplyBadRequestError. */
export function applyPatch(args: ApplyArgs): ApplyResult {
  if ((args.applied.metadata?.managedFields ?? []).length > 0) {
    throw new ApplyBadRequestError('metadata.managedFields must be nil');
  }
  const live: KubeObject = args.live ?? { metadata: {} };
  let managed = decodeLive(live);
  if (managed.size === 0 && args.live !== undefined) {
    // Whatever the object holds before anyone applies belongs to a stand-in Update manager.
    recordUpdate(managed, {
      old: zeroObjectLike(live, args.schema, args.registry),
      obj: live,
      entry: { manager: BEFORE_FIRST_APPLY_MANAGER, operation: 'Update', apiVersion: args.apiVersion },
      now: args.now,
      schema: args.schema,
      registry: args.registry,
      ignoredFields: args.ignoredFields,
    });
  }
  const snapshot = cloneManaged(managed);
  let outcome = applyCore(live, managed, args, args.force);
  if ('conflicts' in outcome && args.manager === KUBECTL_MANAGER) {
    const allowed = fieldsFromLastApplied(live, args);
    if (allowed) {
      const remaining = outcome.conflicts.filter((c) => !allowed.has(c.path));
      if (remaining.length === 0) {
        managed = snapshot;
        outcome = applyCore(live, managed, args, true);
      } else outcome = { conflicts: remaining };
    }
  }
  if ('conflicts' in outcome) throw new ApplyConflictError(outcome.conflicts.map((c) => c.conflict));
  const merged = outcome.merged;
  let object = withManagedFields(merged, managed);
  object = syncLastApplied(object, args);
  return { object };
}

function decodeLive(live: KubeObject): ManagedFields {
  try {
    return decodeManagedFields(live.metadata?.managedFields);
  } catch {
    return new Map();
  }
}

function cloneManaged(m: ManagedFields): ManagedFields {
  return new Map([...m].map(([id, e]) => [id, { ...e, fields: e.fields.union(new FieldSet()) }]));
}

interface FoundConflict {
  path: string[];
  conflict: ApplyConflict;
}

/** One apply on `managed` (mutated). Yields the new object without managedFields, or the conflicts. */
function applyCore(
  live: KubeObject,
  managed: ManagedFields,
  a: ApplyArgs,
  force: boolean,
): { merged: KubeObject } | { conflicts: FoundConflict[] } {
  const ctx = `${live.metadata?.namespace ?? a.applied.metadata?.namespace ?? ''}/${a.applied.metadata?.name ?? ''}; ${a.apiVersion}, Kind=${a.applied.kind ?? ''}`;
  let appliedSet: FieldSet;
  try {
    appliedSet = fieldSetFromObject(a.applied, a.schema, a.registry, { strict: true });
  } catch (err) {
    if (err instanceof ApplyInvalidObjectError) {
      throw new ApplyInvalidObjectError(err.field, `failed to create typed patch object (${ctx}): ${err.message}`);
    }
    throw err;
  }
  if (a.ignoredFields) appliedSet = appliedSet.recursiveDifference(a.ignoredFields);

  const liveBare = withoutManagedFields(live);
  let merged = mergeApplied(liveBare, withoutManagedFields(a.applied), a.schema, a.registry);

  const applyEntry: Omit<ManagerEntry, 'fields'> = { manager: a.manager, operation: 'Apply', apiVersion: a.apiVersion };
  if (a.subresource) applyEntry.subresource = a.subresource;
  const applyId = managerIdentifier(applyEntry);
  const previous = managed.get(applyId);
  managed.set(applyId, { ...applyEntry, time: previous?.time, fields: appliedSet });

  if (previous && !previous.fields.isEmpty()) {
    // Fields this manager applied before and dropped now go, unless someone else owns them.
    // Ancestors of owned fields, and identity fields no manager records, always stay.
    let owned = STRIPPED_FIELDS.union(appliedSet);
    for (const [id, e] of managed) if (id !== applyId) owned = owned.union(e.fields);
    const toRemove = previous.fields.withAncestors().difference(owned.withAncestors());
    if (!toRemove.isEmpty()) merged = removeFields(merged, toRemove, a.schema, a.registry);
  }

  const c = excludeFields(compareObjects(liveBare, merged, a.schema, a.registry), a.ignoredFields);
  const changed = c.added.union(c.modified);
  const found: FoundConflict[] = [];
  const ids = [...managed.keys()].filter((id) => id !== applyId).sort();
  for (const id of ids) {
    const e = managed.get(id)!;
    for (const path of e.fields.intersection(changed).paths()) {
      found.push({ path, conflict: { manager: e.manager, managerDescription: describeManager(e), field: pathString(path) } });
    }
  }
  if (found.length && !force) return { conflicts: found };

  const lost = changed.union(c.removed);
  for (const id of ids) {
    const e = managed.get(id)!;
    e.fields = e.fields.difference(lost);
    if (e.fields.isEmpty()) managed.delete(id);
  }
  const mine = managed.get(applyId)!;
  mine.fields = mine.fields.difference(STRIPPED_FIELDS);
  if (mine.fields.isEmpty()) managed.delete(applyId);
  else if (!deepEqual(liveBare, merged) || !mine.time) mine.time = formatTime(a.now);
  return { merged: merged as KubeObject };
}

/**
 * Fields client-side apply recorded in the last-applied annotation that still hold the
 * live values: `kubectl apply --server-side` may take those over without conflict.
 */
function fieldsFromLastApplied(live: KubeObject, a: ApplyArgs): { has(path: string[]): boolean } | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!raw) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isPlainObject(lastApplied) || lastApplied.apiVersion !== a.apiVersion) return undefined;
  try {
    const set = fieldSetFromObject(lastApplied, a.schema, a.registry);
    const c = compareObjects(lastApplied, withoutManagedFields(live), a.schema, a.registry);
    return set.difference(c.modified).difference(c.added).difference(c.removed);
  } catch {
    return undefined;
  }
}

/** After `kubectl` applies, an existing last-applied annotation follows the new configuration. */
function syncLastApplied(object: KubeObject, a: ApplyArgs): KubeObject {
  if (a.manager !== KUBECTL_MANAGER || !object.metadata.annotations?.[LAST_APPLIED_ANNOTATION]) return object;
  const applied = withoutManagedFields(a.applied);
  const annotations = { ...(applied.metadata?.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const config = { ...applied, metadata: { ...applied.metadata, annotations } };
  if (Object.keys(annotations).length === 0) delete (config.metadata as Record<string, unknown>).annotations;
  return {
    ...object,
    metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: sortedJson(config) } },
  };
}

/** JSON with sorted keys, like Go's encoding of an unstructured object. */
function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    isPlainObject(val) ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, val[k]])) : val,
  );
}
