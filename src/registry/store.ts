/**
 * The generic store: create, update, delete for any resource, written once
 * (apiserver pkg/registry/generic/registry/store.go). Resource specifics come from the
 * ResourceType row (defaults, validation, generation) and optional hooks.
 *
 * Reads for writes go to the storage (fresh modRevision for compare-and-swap); GET/LIST/WATCH
 * are served by the apiserver's watch cache.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../base/clock.js';
import type { KubeObject } from '../api/object.js';
import { deepCopy, deepEqual, isPlainObject } from '../api/object.js';
import type { FieldError } from '../api/field-errors.js';
import type { ResourceType } from '../api/resource-type.js';
import { apiVersionOf, hasSubresource } from '../api/resource-type.js';
import type { KeyValue, Storage } from '../storage/interface.js';
import { ConflictError, KeyExistsError, NotFoundError } from '../storage/interface.js';
import { objectKey } from './keys.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
  OBJECT_MODIFIED,
  StatusError,
} from '../api/status.js';

export interface WriteContext {
  /** Field manager for managedFields. */
  manager: string;
  dryRun: boolean;
  /** Subresource being written ('status', 'scale', …) or undefined. */
  subresource?: string;
  /** Server-side apply already computed managedFields for this write. */
  applied?: boolean;
  /** Admission of this request (mutating then validating), when the server has any. */
  admission?: WriteAdmission;
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface WriteAdmission {
  /** Mutating admission: may change `obj` in place. */
  admit(op: AdmissionOperation, obj: KubeObject | undefined, old: KubeObject | undefined): Promise<void>;
  /** Validating admission: throws to refuse. */
  validate(op: AdmissionOperation, obj: KubeObject | undefined, old: KubeObject | undefined): Promise<void>;
}

/** Per-resource behaviour beyond the table row (allocations, cross-object checks). */
export interface StoreHooks {
  /** Fills server-decided fields after defaulting and before validation on create. */
  prepareForCreate?(obj: KubeObject): void;
  beforeCreate?(obj: KubeObject, ctx: WriteContext): Promise<void> | void;
  /** Adjusts the desired object before defaulting and validation on update. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  beforeUpdate?(obj: KubeObject, old: KubeObject, ctx: WriteContext): Promise<void> | void;
  /** After a successful update: releases what the old object held and the new one does not. */
  afterUpdate?(obj: KubeObject, old: KubeObject): Promise<void> | void;
  /** Undo beforeUpdate when the update did not happen (conflict, failure, dry run). */
  abortUpdate?(obj: KubeObject, old: KubeObject): Promise<void> | void;
  /** Called after the object is gone from the store; releases what beforeCreate took. */
  afterDelete?(obj: KubeObject): Promise<void> | void;
  /** Undo beforeCreate when the create did not happen (conflict, dry run). */
  abortCreate?(obj: KubeObject): Promise<void> | void;
}

/** Maintains metadata.managedFields on a write; injected so the store stays generic. */
export type ManagedFieldsUpdater = (args: {
  old: KubeObject | undefined;
  obj: KubeObject;
  rt: ResourceType;
  ctx: WriteContext;
  now: number;
}) => KubeObject;

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  dryRun?: string[];
}

export interface DeleteResult {
  /** The object as it is now (pending deletion) or as it was (deleted). */
  obj: KubeObject;
  /** True when the object is gone from the store. */
  deleted: boolean;
}

export interface StoreConfig {
  rt: ResourceType;
  storage: Storage;
  clock: Clock;
  prefix: string;
  hooks?: StoreHooks;
  managedFields?: ManagedFieldsUpdater;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Serialises an object for storage: resourceVersion lives in the store's revision, not the value. */
export function encodeForStorage(obj: KubeObject): string {
  const rv = obj.metadata.resourceVersion;
  delete obj.metadata.resourceVersion;
  const s = JSON.stringify(obj);
  if (rv !== undefined) obj.metadata.resourceVersion = rv;
  return s;
}

function decodeKV(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Resources whose DELETE answers with the object instead of a Status (upstream ReturnDeletedObject). */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'serviceaccounts', 'storageclasses', 'namespaces']);
/** Resources that may be created by PUT (upstream AllowCreateOnUpdate). */
const CREATE_ON_UPDATE = new Set(['endpoints', 'events', 'leases', 'nodes', 'endpointslices']);

export class Store {
  readonly rt: ResourceType;
  private readonly storage: Storage;
  private readonly clock: Clock;
  readonly prefix: string;
  private readonly hooks: StoreHooks;
  private readonly managedFields?: ManagedFieldsUpdater;

  constructor(cfg: StoreConfig) {
    this.rt = cfg.rt;
    this.storage = cfg.storage;
    this.clock = cfg.clock;
    this.prefix = cfg.prefix;
    this.hooks = cfg.hooks ?? {};
    this.managedFields = cfg.managedFields;
  }

  get returnsDeletedObject(): boolean {
    return RETURNS_DELETED_OBJECT.has(this.rt.plural);
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.prefix, this.rt.namespaced ? namespace : undefined, name);
  }

  private get qualified() {
    return { group: this.rt.group, plural: this.rt.plural };
  }

  private get tracksGeneration(): boolean {
    return this.rt.generation !== false;
  }

  private get hasStatus(): boolean {
    return hasSubresource(this.rt, 'status');
  }

  async getFromStorage(namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.storage.get(this.key(namespace, name));
    if (!kv) throw notFound(this.qualified, name);
    return decodeKV(kv);
  }

  private validate(obj: KubeObject, old?: KubeObject): void {
    const errs: FieldError[] = this.rt.validate ? this.rt.validate(obj, old) : [];
    if (errs.length) throw invalid(this.rt.kind, this.rt.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
  }

  /** Creates an object; `obj` has already passed decoding and namespace checks. */
  async create(input: KubeObject, ctx: WriteContext): Promise<KubeObject> {
    const obj = deepCopy(input);
    obj.apiVersion = apiVersionOf(this.rt);
    obj.kind = this.rt.kind;
    const meta = obj.metadata;
    const now = this.clock.now();
    // Fields the server owns on create (upstream FillObjectMetaSystemFields + BeforeCreate).
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (!this.rt.namespaced) delete meta.namespace;
    if (this.hasStatus && ctx.subresource === undefined && this.rt.kind !== 'CustomResourceDefinition') {
      // Status is set by controllers; on create upstream strategies clear what clients send for
      // most workload kinds. Keep what is there for kinds whose status is client-owned at create.
      if (!STATUS_KEPT_ON_CREATE.has(this.rt.plural)) delete obj.status;
    }
    this.rt.defaults?.(obj);
    await ctx.admission?.admit('CREATE', obj, undefined);
    const generated = !meta.name && !!meta.generateName;
    for (let attempt = 0; ; attempt++) {
      if (generated) meta.name = `${meta.generateName}${randomSuffix()}`;
      this.hooks.prepareForCreate?.(obj);
      this.validate(obj);
      await ctx.admission?.validate('CREATE', obj, undefined);
      await this.hooks.beforeCreate?.(obj, ctx);
      const stored = this.managedFields && !ctx.applied ? this.managedFields({ old: undefined, obj, rt: this.rt, ctx, now }) : obj;
      if (ctx.dryRun) {
        await this.hooks.abortCreate?.(stored);
        return stored;
      }
      try {
        const kv = await this.storage.create(this.key(meta.namespace, meta.name!), encodeForStorage(stored));
        stored.metadata.resourceVersion = String(kv.modRevision);
        return stored;
      } catch (err) {
        await this.hooks.abortCreate?.(stored);
        if (err instanceof KeyExistsError) {
          if (generated && attempt < 7) continue;
          throw alreadyExists(this.qualified, meta.name!);
        }
        throw err;
      }
    }
  }

  /**
   * Read-modify-write with compare-and-swap (upstream GuaranteedUpdate). `mutate` gets a fresh
   * copy of the live object and returns the desired object. A precondition on resourceVersion
   * (from the request) turns a conflict into 409 instead of a retry.
   */
  async update(
    namespace: string | undefined,
    name: string,
    mutate: (live: KubeObject) => Promise<KubeObject> | KubeObject,
    ctx: WriteContext,
    opts: { createIfMissing?: (() => KubeObject) | undefined } = {},
  ): Promise<{ obj: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.storage.get(key);
      if (!kv) {
        if (opts.createIfMissing && CREATE_ON_UPDATE.has(this.rt.plural) && ctx.subresource === undefined) {
          return { obj: await this.create(opts.createIfMissing(), ctx), created: true };
        }
        throw notFound(this.qualified, name);
      }
      const live = decodeKV(kv);
      // The copy handed out carries no resourceVersion, so one on `desired` can only be the
      // request's own precondition (a PUT body or a patch that sets it).
      // A second parse of the stored text is a cheaper private copy than a JSON round trip.
      const copy = JSON.parse(kv.value) as KubeObject;
      delete copy.metadata.resourceVersion;
      const desired = await mutate(copy);
      if (!isPlainObject(desired) || !isPlainObject(desired.metadata)) throw badRequest('object has no metadata');
      const want = desired.metadata.resourceVersion;
      if (want !== undefined && want !== '' && want !== live.metadata.resourceVersion) {
        throw conflict(this.qualified, name, OBJECT_MODIFIED);
      }
      const next = await this.prepareUpdate(desired, live, ctx);
      if (next === live) return { obj: live, created: false };
      await this.hooks.beforeUpdate?.(next, live, ctx);
      if (ctx.dryRun) {
        await this.hooks.abortUpdate?.(next, live);
        return { obj: next, created: false };
      }
      if (live.metadata.deletionTimestamp && this.finalized(next)) {
        // The last finalizer was removed from an object being deleted: it goes away now.
        try {
          const del = await this.storage.delete(key, kv.modRevision);
          await this.hooks.abortUpdate?.(next, live);
          await this.hooks.afterDelete?.(live);
          next.metadata.resourceVersion = String(del.modRevision);
          return { obj: next, created: false };
        } catch (err) {
          await this.hooks.abortUpdate?.(next, live);
          if (err instanceof ConflictError || err instanceof NotFoundError) continue;
          throw err;
        }
      }
      try {
        const out = await this.storage.update(key, encodeForStorage(next), kv.modRevision);
        next.metadata.resourceVersion = String(out.modRevision);
        await this.hooks.afterUpdate?.(next, live);
        return { obj: next, created: false };
      } catch (err) {
        await this.hooks.abortUpdate?.(next, live);
        if (err instanceof ConflictError) {
          if (want) throw conflict(this.qualified, name, OBJECT_MODIFIED);
          if (attempt < 16) continue;
        }
        if (err instanceof NotFoundError) throw notFound(this.qualified, name);
        throw err;
      }
    }
  }

  /** No finalizer holds the object any more (a Namespace also waits for its spec.finalizers). */
  private finalized(obj: KubeObject): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0) return false;
    if (this.rt.kind === 'Namespace' && this.rt.group === '') {
      return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length === 0;
    }
    return true;
  }

  /**
   * Applies upstream's update rules to `desired` given `live`: immutable metadata, status vs
   * main resource, generation. Returns `live` itself when nothing would change.
   */
  private async prepareUpdate(desired: KubeObject, live: KubeObject, ctx: WriteContext): Promise<KubeObject> {
    let next = deepCopy(desired);
    next.apiVersion = live.apiVersion;
    next.kind = live.kind;
    const m = next.metadata;
    const lm = live.metadata;
    if (m.name !== undefined && m.name !== lm.name) {
      throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${lm.name})`);
    }
    m.name = lm.name;
    if (this.rt.namespaced) m.namespace = lm.namespace;
    else delete m.namespace;
    m.uid = lm.uid;
    m.creationTimestamp = lm.creationTimestamp;
    m.deletionTimestamp = lm.deletionTimestamp;
    m.deletionGracePeriodSeconds = lm.deletionGracePeriodSeconds;
    if (lm.deletionTimestamp === undefined) delete m.deletionTimestamp;
    if (lm.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    if (ctx.subresource === 'status') {
      // Status writes change status only (upstream status strategies keep spec and labels).
      const keep = deepCopy(live);
      keep.status = next.status;
      keep.metadata.managedFields = m.managedFields ?? lm.managedFields;
      next = keep;
    } else if (this.hasStatus && ctx.subresource === undefined) {
      if (live.status === undefined) delete next.status;
      else next.status = deepCopy(live.status);
    }
    if (lm.deletionTimestamp && (next.metadata.finalizers ?? []).length > (lm.finalizers ?? []).length) {
      const added = (next.metadata.finalizers ?? []).filter((f) => !(lm.finalizers ?? []).includes(f));
      if (added.length) {
        throw invalid(this.rt.kind, this.rt.group, lm.name!, [
          { reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` },
        ]);
      }
    }
    this.hooks.prepareForUpdate?.(next, live);
    this.rt.defaults?.(next);
    if (this.tracksGeneration) {
      next.metadata.generation = lm.generation ?? 1;
      if (ctx.subresource !== 'status' && specChanged(next, live)) next.metadata.generation = (lm.generation ?? 0) + 1;
    } else delete next.metadata.generation;
    await ctx.admission?.admit('UPDATE', next, live);
    // A binding sets spec.nodeName once, through its own checks; pod update validation forbids it.
    if (ctx.subresource !== 'binding') this.validate(next, live);
    await ctx.admission?.validate('UPDATE', next, live);
    const withRv = next.metadata.resourceVersion;
    next.metadata.resourceVersion = lm.resourceVersion;
    if (deepEqual(stripManaged(next), stripManaged(live))) return live;
    next.metadata.resourceVersion = withRv;
    if (this.managedFields && !ctx.applied) next = this.managedFields({ old: live, obj: next, rt: this.rt, ctx, now: this.clock.now() });
    next.metadata.resourceVersion = lm.resourceVersion;
    return next;
  }

  /** Deletes one object per upstream's rules: preconditions, graceful deletion, finalizers. */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions, ctx: WriteContext): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.storage.get(key);
      if (!kv) throw notFound(this.qualified, name);
      const live = decodeKV(kv);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== live.metadata.uid) {
        throw conflict(this.qualified, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion) {
        throw conflict(this.qualified, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`);
      }
      await ctx.admission?.validate('DELETE', undefined, live);
      const pending = this.pendingDeletion(live, opts);
      if (pending) {
        if (pending === live) return { obj: live, deleted: false };
        if (ctx.dryRun) return { obj: pending, deleted: false };
        try {
          const out = await this.storage.update(key, encodeForStorage(pending), kv.modRevision);
          pending.metadata.resourceVersion = String(out.modRevision);
          return { obj: pending, deleted: false };
        } catch (err) {
          if ((err instanceof ConflictError || err instanceof NotFoundError) && attempt < 16) continue;
          throw err;
        }
      }
      if (ctx.dryRun) return { obj: live, deleted: true };
      try {
        const out = await this.storage.delete(key, kv.modRevision);
        await this.hooks.afterDelete?.(live);
        live.metadata.resourceVersion = String(out.modRevision);
        return { obj: live, deleted: true };
      } catch (err) {
        if (err instanceof ConflictError && attempt < 16) continue;
        if (err instanceof NotFoundError) throw notFound(this.qualified, name);
        throw err;
      }
    }
  }

  /**
   * The object as it should be stored while its deletion is pending, `live` when it already
   * is in that state, or undefined when it can be removed now.
   */
  private pendingDeletion(live: KubeObject, opts: DeleteOptions): KubeObject | undefined {
    const next = deepCopy(live);
    const m = next.metadata;
    const finalizers = new Set(m.finalizers ?? []);
    const orphan = opts.propagationPolicy === 'Orphan' || (opts.propagationPolicy === undefined && opts.orphanDependents === true);
    if (orphan) finalizers.add('orphan');
    if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (opts.propagationPolicy === 'Background' || (opts.propagationPolicy === 'Foreground' && finalizers.has('orphan'))) {
      if (opts.propagationPolicy === 'Background') {
        finalizers.delete('orphan');
        finalizers.delete('foregroundDeletion');
      } else finalizers.delete('orphan');
    }
    // Namespaces keep their spec finalizers until the namespace controller empties them.
    const nsFinalizing = this.rt.kind === 'Namespace' && this.rt.group === '' && ((next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
    const grace = this.gracePeriod(live, opts);
    if (finalizers.size === 0 && !nsFinalizing && grace === 0) return undefined;
    const now = this.clock.now();
    if (m.deletionTimestamp) {
      // Already being deleted: only a shorter grace period or changed finalizers matter.
      const before = JSON.stringify(m.finalizers ?? []);
      if (finalizers.size) m.finalizers = [...finalizers];
      const shorter = grace > 0 && grace < (m.deletionGracePeriodSeconds ?? Infinity);
      if (shorter) {
        m.deletionGracePeriodSeconds = grace;
        m.deletionTimestamp = rfc3339(now + grace * 1000);
      }
      if (!shorter && before === JSON.stringify(m.finalizers ?? [])) return live;
      return next;
    }
    if (finalizers.size) m.finalizers = [...finalizers];
    m.deletionTimestamp = rfc3339(now + grace * 1000);
    m.deletionGracePeriodSeconds = grace;
    if (nsFinalizing) {
      next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
    }
    return next;
  }

  /** Graceful deletion applies to pods bound to a node (upstream pod strategy CheckGracefulDelete). */
  private gracePeriod(live: KubeObject, opts: DeleteOptions): number {
    if (this.rt.kind !== 'Pod' || this.rt.group !== '') return 0;
    const spec = (live.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (live.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const g = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }
}

/** Kinds whose status a client may set on create (upstream strategies that keep it). */
const STATUS_KEPT_ON_CREATE = new Set(['nodes', 'events', 'persistentvolumes', 'persistentvolumeclaims', 'namespaces', 'pods', 'services']);

function stripManaged(o: KubeObject): KubeObject {
  const c = { ...o, metadata: { ...o.metadata } };
  delete c.metadata.managedFields;
  return c;
}

/** Everything but metadata and status counts as spec for generation (upstream compares Spec). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!deepEqual(a[k], b[k])) return true;
  }
  return false;
}

export { StatusError };
