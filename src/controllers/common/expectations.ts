/**
 * Controller expectations (upstream pkg/controller/controller_utils.go): after a controller
 * asks for N creations or deletions it waits until its informer has observed them before it
 * acts on that owner again, so a stale cache never makes it act twice. Expectations expire
 * after 5 minutes so a lost watch event cannot block an owner forever.
 */
import type { Clock } from '../../base/clock.js';

const TTL_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
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

  expectCreations(key: string, n: number): void {
    this.items.set(key, { add: n, del: 0, at: this.clock.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.items.set(key, { add: 0, del: n, at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.del--;
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
