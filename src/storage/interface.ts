/**
 * The one storage interface of skiff, with etcd's semantics.
 *
 * - A single global revision counts every write (create, update, delete) in the store.
 *   A key's `modRevision` is the revision of its last write; `createRevision` of its creation.
 * - Keys look like upstream's: `/registry/<resource>/<namespace>/<name>` or
 *   `/registry/<resource>/<name>`. Values are opaque strings (skiff stores JSON).
 * - The Kubernetes resourceVersion of an object is its `modRevision`; the resourceVersion
 *   of a list is the store revision it was read at.
 * - Revisions are decided by the store (compare-and-swap), never by in-process counters, so
 *   several API servers may share one store.
 */
import { SkiffError } from '../base/errors.js';

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface ListOptions {
  /** Maximum number of items; 0 or undefined = no limit. */
  limit?: number;
  /** Only keys strictly greater than this key (used for continue tokens). */
  startAfter?: string;
  /** Read the state as of this revision; 0 or undefined = current. Fails with Compacted / FutureRevision. */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys under the prefix follow the last returned item. */
  more: boolean;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For create/update the new value; for delete the value before the delete (modRevision = the delete's revision). */
  kv: KeyValue;
  /** The value before this event, for update and delete. */
  prevKv?: KeyValue;
  /** The revision of this event (== kv.modRevision). */
  revision: number;
}

export interface WatchHandlers {
  /** Events in revision order; a batch holds every event of one or more revisions. */
  onEvents(events: WatchEvent[]): void;
  /**
   * Called once when the watch can no longer continue (e.g. Compacted, store closed).
   * No further events are delivered after it.
   */
  onError(err: Error): void;
  /**
   * Optional: the store's revision has advanced to `revision` with no events for this prefix
   * (used to serve bookmarks and to know the cache is fresh). Backends call it when convenient.
   */
  onProgress?(revision: number): void;
}

export interface Watch {
  close(): void;
}

export interface Storage {
  /** Name of the backend: 'sqlite' | 'etcd' | 'memory'. */
  readonly backend: string;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of live keys under prefix. */
  count(prefix: string): Promise<number>;
  /** Fails with KeyExistsError if the key is live. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Fails with NotFoundError if the key is not live, ConflictError if its modRevision is not
   * `expectedModRevision`.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Deletes a live key; returns the deleted value with `modRevision` = the delete's revision.
   * With expectedModRevision, fails with ConflictError when it does not match.
   */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Streams every event under prefix with revision > afterRevision, then live events.
   * afterRevision below the compacted revision → handlers.onError(CompactedError) (asynchronously).
   * afterRevision above the current revision → FutureRevisionError.
   */
  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch;
  /** Drop history up to and including `revision` (values still live are kept). */
  compact(revision: number): Promise<void>;
  currentRevision(): Promise<number>;
  /** The revision below which history is gone (0 when nothing was compacted). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

export class StorageError extends SkiffError {}

export class KeyExistsError extends StorageError {
  constructor(readonly key: string) {
    super('KeyExists', `key exists: ${key}`);
  }
}

export class NotFoundError extends StorageError {
  constructor(readonly key: string) {
    super('NotFound', `key not found: ${key}`);
  }
}

export class ConflictError extends StorageError {
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('Conflict', `revision conflict on ${key}: expected ${expected}, current ${actual}`);
  }
}

export class CompactedError extends StorageError {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super('Compacted', `required revision ${requested} has been compacted (compacted revision ${compacted})`);
  }
}

export class FutureRevisionError extends StorageError {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super('FutureRevision', `required revision ${requested} is a future revision (current ${current})`);
  }
}

export class StorageClosedError extends StorageError {
  constructor() {
    super('Closed', 'storage is closed');
  }
}
