/**
 * Compaction in small id ranges, each its own short transaction, yielding to the event
 * loop between ranges so group commits keep flowing while history is trimmed.
 */
import type { Database } from 'better-sqlite3';
import type { Queries } from './queries.js';
import { metaCompactDone } from './schema.js';

const idsPerBatch = 2000;

/**
 * Deletes history up to `revision`, resuming after the last finished range. Stops early
 * when `stopped()` turns true (store closing); the next compaction picks up from there.
 */
export async function compactHistory(db: Database, queries: Queries, revision: number, stopped: () => boolean): Promise<void> {
  let done = queries.getMeta.get(metaCompactDone)?.value ?? 0;
  const step = db.transaction((from: number, to: number) => {
    queries.compactBatch.run({ from, to, revision });
    queries.setMeta.run(metaCompactDone, to);
  });
  while (done < revision && !stopped()) {
    const to = Math.min(revision, done + idsPerBatch);
    step.immediate(done, to);
    done = to;
    if (done < revision) await new Promise((resolve) => setImmediate(resolve));
  }
}
