/**
 * Periodic compaction, as kine and the Kubernetes apiserver do it: every interval, drop
 * history older than the newest `keepRevisions` revisions, so per-key history stays bounded
 * (node Lease heartbeats would otherwise grow the store forever).
 */
import { realClock, type Clock, type Timer } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { Storage } from './interface.js';

export interface CompactorOptions {
  /** Default 5 minutes. */
  intervalMs?: number;
  /** Revisions of history always kept; default 1000. */
  keepRevisions?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface Compactor {
  /** Runs one compaction now (what each tick does); resolves to the revision compacted to, or 0. */
  compactNow(): Promise<number>;
  close(): Promise<void>;
}

export function startCompactor(storage: Storage, opts: CompactorOptions = {}): Compactor {
  const intervalMs = opts.intervalMs ?? 5 * 60_000;
  const keep = opts.keepRevisions ?? 1000;
  const clock = opts.clock ?? realClock;
  let running: Promise<number> | undefined;

  const compactNow = (): Promise<number> => {
    // Ticks never overlap: a slow compaction simply absorbs the next tick.
    running ??= (async () => {
      try {
        const target = (await storage.currentRevision()) - keep;
        if (target <= (await storage.compactedRevision())) return 0;
        await storage.compact(target);
        return target;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer: Timer = clock.setInterval(() => {
    compactNow().catch((err) => opts.logger?.warn('compaction failed', { err }));
  }, intervalMs);

  return {
    compactNow,
    async close() {
      timer.cancel();
      await running?.catch(() => {});
    },
  };
}
