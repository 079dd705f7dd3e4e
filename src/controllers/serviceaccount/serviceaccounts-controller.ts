/**
 * Ensures every active namespace has the `default` ServiceAccount (upstream
 * pkg/controller/serviceaccount/serviceaccounts_controller.go), recreating it when deleted.
 * Keys are namespace names; terminating namespaces are left alone (the server refuses new
 * objects there anyway).
 */
import type { KubeObject } from '../../api/object.js';
import { ApiError, isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { runQueue } from '../common/run-controller.js';

export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

export class ServiceAccountsController implements Controller {
  readonly name = 'serviceaccount-controller';
  readonly queue: WorkQueue<string>;
  readonly namespaces: Informer;
  readonly serviceAccounts: Informer;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly names: string[] = DEFAULT_SERVICE_ACCOUNTS,
  ) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.namespaces = ctx.informers.forResource(Resources.namespaces);
    this.serviceAccounts = ctx.informers.forResource(Resources.serviceaccounts);
    const nsChanged = (ns: KubeObject) => this.queue.add(ns.metadata.name!);
    this.namespaces.addEventHandler({ onAdd: nsChanged, onUpdate: (_, ns) => nsChanged(ns) });
    this.serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (this.names.includes(sa.metadata.name!) && sa.metadata.namespace) this.queue.add(sa.metadata.namespace);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.namespaces, this.serviceAccounts], queue: this.queue, workers: 1, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.getByName(undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
    for (const name of this.names) {
      if (this.serviceAccounts.store.getByName(namespace, name)) continue;
      try {
        await this.ctx.client.create(Resources.serviceaccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (err) {
        if (isAlreadyExists(err) || isNotFound(err)) continue;
        // Forbidden: the namespace started terminating after our cache saw it.
        if (err instanceof ApiError && err.status === 403) return;
        throw err;
      }
    }
  }
}
