/**
 * Namespace lifecycle (upstream pkg/controller/namespace): a namespace with a
 * deletionTimestamp is emptied of every namespaced object, its deletion conditions are kept
 * current, and once nothing remains the `kubernetes` finalizer is taken out of spec.finalizers,
 * after which the API server removes the namespace.
 */
import type { KubeObject } from '../../api/object.js';
import { isConflict, isNotFound, ApiError } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { runQueue } from '../common/run-controller.js';
import { deletionConditions, mergeConditions, type NamespaceCondition } from './conditions.js';
import { deleteAllContent } from './content-deleter.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

interface NamespaceShape extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export class NamespaceController implements Controller {
  readonly name = 'namespace-controller';
  readonly queue: WorkQueue<string>;
  private readonly namespaces: Informer<NamespaceShape>;

  constructor(private readonly ctx: ControllerContext) {
    // Upstream rate limits namespace retries from 5ms up to 60s.
    this.queue = new WorkQueue({ clock: ctx.clock, baseDelayMs: 5, maxDelayMs: 60_000 });
    this.namespaces = ctx.informers.forResource<NamespaceShape>(Resources.namespaces);
    const enqueue = (ns: NamespaceShape) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_, ns) => enqueue(ns) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.namespaces], queue: this.queue, workers: 5, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(name: string): Promise<void> {
    const { client, clock } = this.ctx;
    let ns: NamespaceShape;
    try {
      ns = await client.get<NamespaceShape>(Resources.namespaces, undefined, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const now = clock.now();
    const deletedAt = parseTime(ns.metadata.deletionTimestamp) ?? now;
    const outcome = await deleteAllContent(client, name, deletedAt, now);
    await this.updateConditions(ns, deletionConditions(outcome, rfc3339(now)));
    if (outcome.discoveryFailures.size > 0 || outcome.contentErrors.length > 0) {
      throw new Error(`namespace ${name}: content deletion incomplete`);
    }
    if (outcome.estimate > 0) {
      // Upstream looks again after half the estimate (plus a second), not on every event.
      this.queue.addAfter(name, (Math.floor(outcome.estimate / 2) + 1) * 1000);
      return;
    }
    await this.finalize(name);
  }

  private async updateConditions(ns: NamespaceShape, fresh: NamespaceCondition[]): Promise<void> {
    const now = rfc3339(this.ctx.clock.now());
    let current = ns;
    for (;;) {
      const { conditions, changed } = mergeConditions(current.status?.conditions ?? [], fresh, now);
      if (!changed) return;
      try {
        await this.ctx.client.updateStatus(Resources.namespaces, { ...current, status: { ...current.status, conditions } });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
        const latest = await this.ctx.client.get<NamespaceShape>(Resources.namespaces, undefined, ns.metadata.name!);
        if (latest.metadata.uid !== ns.metadata.uid) return;
        current = latest;
      }
    }
  }

  /**
   * Removes our finalizer through `namespaces/{name}/finalize` as upstream does; a server that
   * does not serve that subresource gets a plain update of spec.finalizers instead.
   */
  private async finalize(name: string): Promise<void> {
    const { client } = this.ctx;
    for (;;) {
      let ns: NamespaceShape;
      try {
        ns = await client.get<NamespaceShape>(Resources.namespaces, undefined, name);
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
      const next = { ...ns, spec: { ...ns.spec, finalizers } };
      try {
        try {
          await client.update(Resources.namespaces, next, { subresource: 'finalize' });
        } catch (err) {
          // 404 may also mean the namespace is gone; the plain update then says so too.
          if (!(err instanceof ApiError) || (err.status !== 405 && err.status !== 404)) throw err;
          await client.update(Resources.namespaces, next);
        }
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
    }
  }
}
