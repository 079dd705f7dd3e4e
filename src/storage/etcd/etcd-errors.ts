/**
 * Maps etcd's errors to storage errors. NOTE: etcd reports these conditions only as
 * message text over gRPC (the etcd3 client gives them no type), so this is the one place
 * that inspects text; everything above branches on the typed errors.
 */
import { CompactedError, FutureRevisionError } from '../interface.js';

export function isCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

export function isFutureRevision(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision is a future revision');
}

/** Rethrows etcd's compaction/future-revision errors as storage errors; others unchanged. */
export function mapRevisionError(err: unknown, requested: number, revisions: { compacted?: number; current?: number }): unknown {
  if (isCompacted(err)) return new CompactedError(requested, revisions.compacted ?? 0);
  if (isFutureRevision(err)) return new FutureRevisionError(requested, revisions.current ?? 0);
  return err;
}
