/**
 * What the store needs from whoever commits its writes (the writer thread), and how a
 * committed group settles: its events are published first, then each write's promise
 * settles, in order.
 */
import type { KeyValue, StorageError, WatchEvent } from '../interface.js';
import { refusalError, type Outcome, type WriteOp } from './writer-protocol.js';

export interface Writer {
  /** Resolves once the write's group is durable. */
  write(op: WriteOp): Promise<KeyValue>;
  /** Resolves once history up to `revision` is deleted (or compaction stopped for close). */
  compact(revision: number): Promise<void>;
  /** Lets writes already issued commit, then stops. */
  close(): Promise<void>;
}

export interface WriterHooks {
  /**
   * A group is durable: its events in revision order and the newest revision written.
   * Called before any of the group's promises settles.
   */
  committed(events: WatchEvent[], revision: number): void;
  /** The writer cannot go on (its thread died); called once. */
  failed(err: StorageError): void;
}

export interface PendingWrite {
  op: WriteOp;
  resolve: (kv: KeyValue) => void;
  reject: (err: Error) => void;
}

export function settleGroup(group: PendingWrite[], outcomes: Outcome[], hooks: WriterHooks): void {
  const events: WatchEvent[] = [];
  const results: (KeyValue | Error)[] = [];
  let revision = 0;
  group.forEach((w, i) => {
    const o = outcomes[i];
    if (!o.ok) {
      results.push(refusalError(o.refusal));
      return;
    }
    const event = toEvent(w.op, o);
    events.push(event);
    results.push(event.kv);
    revision = o.revision;
  });
  if (events.length > 0) hooks.committed(events, revision);
  group.forEach((w, i) => {
    const r = results[i];
    if (r instanceof Error) w.reject(r);
    else w.resolve(r);
  });
}

function toEvent(op: WriteOp, o: Extract<Outcome, { ok: true }>): WatchEvent {
  const value = op.type === 'delete' ? o.prev!.value : op.value;
  const kv: KeyValue = { key: op.key, value, createRevision: o.createRevision, modRevision: o.revision };
  const event: WatchEvent = { type: op.type, kv, revision: o.revision };
  if (o.prev) event.prevKv = { key: op.key, value: o.prev.value, createRevision: o.prev.createRevision, modRevision: o.prev.id };
  return event;
}
