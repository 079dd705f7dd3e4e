/** The loop every queue-driven controller runs: wait for caches, then work the queue. */
import type { Logger } from '../../base/logger.js';
import type { Informer } from '../../client/informer.js';
import { runWorkers, type WorkQueue } from '../../client/workqueue.js';

export async function runQueue(opts: {
  name: string;
  signal: AbortSignal;
  informers: Informer[];
  queue: WorkQueue<string>;
  workers: number;
  log: Logger;
  sync: (key: string) => Promise<void>;
}): Promise<void> {
  const { signal, queue } = opts;
  if (signal.aborted) return;
  signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  try {
    await Promise.all(opts.informers.map((i) => i.waitForSync(signal)));
  } catch {
    return;
  }
  await runWorkers(queue, opts.workers, opts.sync, (key, err) =>
    opts.log.debug('sync failed; will retry', { controller: opts.name, key, error: err }),
  );
}
