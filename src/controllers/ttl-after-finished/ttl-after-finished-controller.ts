/**
 * The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a Job
 * `spec.ttlSecondsAfterFinished` seconds after it finished (the lastTransitionTime of its
 * Complete or Failed condition), with Foreground propagation so its pods go first. Each Job is
 * requeued for exactly its expiry; nothing polls.
 */
import type { KubeObject } from '../../api/object.js';
import { isNotFound } from '../../client/errors.js';
import { keyOf, splitKey, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { runQueue } from '../common/run-controller.js';
import { finishedCondition } from '../job/job-conditions.js';
import type { Controller, ControllerContext } from '../types.js';

/** Milliseconds until `job` expires (≤ 0: now), or undefined if it has no TTL or is not finished. */
export function timeLeft(job: KubeObject, now: number): number | undefined {
  const ttl = (job.spec as { ttlSecondsAfterFinished?: number } | undefined)?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const cond = finishedCondition(job);
  if (!cond) return undefined;
  const finishedAt = parseTime(cond.lastTransitionTime) ?? now;
  return finishedAt + ttl * 1000 - now;
}

export class TTLAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished-controller';
  readonly queue: WorkQueue<string>;
  readonly jobs: Informer;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.jobs = ctx.informers.forResource(Resources.jobs);
    const enqueue = (j: KubeObject) => {
      if (timeLeft(j, ctx.clock.now()) !== undefined) this.queue.add(keyOf(j));
    };
    this.jobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, j) => enqueue(j) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.jobs], queue: this.queue, workers: 5, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const cached = this.jobs.store.get(key);
    if (!cached) return;
    const now = this.ctx.clock.now();
    const left = timeLeft(cached, now);
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    // The cache may be stale (TTL changed, job restarted): decide on a fresh read.
    const { namespace, name } = splitKey(key);
    let fresh: KubeObject;
    try {
      fresh = await this.ctx.client.get(Resources.jobs, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const freshLeft = timeLeft(fresh, now);
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.queue.addAfter(key, freshLeft);
      return;
    }
    try {
      await this.ctx.client.delete(Resources.jobs, namespace, name, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
