/**
 * Per-key exponential backoff as upstream's kubelet uses it for crash loops and image pulls:
 * 10 s doubling to 5 min; an entry untouched for twice the maximum starts over (so a container
 * that ran for 10 minutes is restarted without delay again).
 */
import type { Clock } from '../../base/clock.js';

interface Entry {
  delay: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  private expired(e: Entry, at: number): boolean {
    return at - e.lastUpdate > 2 * this.maxMs;
  }

  /** Records a failure at `at` and grows the delay. */
  next(key: string, at: number = this.clock.now()): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, at)) this.entries.set(key, { delay: this.initialMs, lastUpdate: at });
    else this.entries.set(key, { delay: Math.min(e.delay * 2, this.maxMs), lastUpdate: at });
  }

  /** Remaining wait (ms) when `key` is still backing off since `since`, else 0. */
  remaining(key: string, since: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, this.clock.now())) return 0;
    return Math.max(0, since + e.delay - this.clock.now());
  }

  delay(key: string): number {
    return this.entries.get(key)?.delay ?? 0;
  }

  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
