/**
 * Controller expectations (upstream pkg/controller/controller_utils.go): after a controller
 * asks for N creations or deletions it waits until its informer has observed them before it
 * acts on that owner again, so a stale cache never makes it act twice. Expectations expire
 * after 5 minutes so a lost watch event cannot block an owner forever.
 *
 * Deletions may be tracked by pod key (upstream UIDTrackingControllerExpectations): a deletion
 * then counts once however many times it is seen (a graceful delete shows up as an update with
 * a deletionTimestamp and again as a delete), and a failed delete can be forgotten exactly.
 */
import type { Clock } from '../../base/clock.js';

const TTL_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
  /** Keys of the objects whose deletion is awaited, when deletions are tracked. */
  deleting?: Set<string>;
}

export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();
  constructor(private readonly clock: Clock) {}

  /** True when the owner's expectations are met or expired (or none were set). */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if ((e.add <= 0 && e.del <= 0) || this.clock.now() - e.at > TTL_MS) return true;
    return false;
  }

  /** Replaces the owner's record: `add` creations and `del` (untracked) deletions to observe. */
  expect(key: string, add: number, del: number): void {
    this.items.set(key, { add, del, at: this.clock.now() });
  }

  /**
   * Replaces the owner's record with `add` creations and the deletion of exactly the objects
   * in `deleting` (their keys); observe those with `deletionObservedFor`.
   */
  expectTracked(key: string, add: number, deleting: readonly string[]): void {
    this.items.set(key, { add, del: deleting.length, at: this.clock.now(), deleting: new Set(deleting) });
  }

  expectCreations(key: string, n: number): void {
    this.expect(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.expect(key, 0, n);
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.add--;
  }

  /** An untracked deletion was observed. */
  deletionObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.del--;
  }

  /**
   * The deletion of `objectKey` was observed (or its delete failed and it will never be):
   * counts only if that object was awaited and only the first time. Returns whether it counted.
   */
  deletionObservedFor(key: string, objectKey: string): boolean {
    const e = this.items.get(key);
    if (!e?.deleting?.delete(objectKey)) return false;
    e.del--;
    return true;
  }

  /** A create or delete the controller asked for failed: it will never be observed. */
  lowerExpectations(key: string, add: number, del: number): void {
    const e = this.items.get(key);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}
