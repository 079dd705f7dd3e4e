/**
 * Publishes the cluster CA into every namespace as the ConfigMap `kube-root-ca.crt`
 * (upstream pkg/controller/certificates/rootcacertpublisher), which the ServiceAccount
 * admission's projected `kube-api-access-*` volume mounts as `ca.crt`. Keys are namespace
 * names; a changed or deleted ConfigMap is put back.
 */
import type { KubeObject } from '../../api/object.js';
import { ApiError, isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { runQueue } from '../common/run-controller.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clients.';

export class RootCACertPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  readonly queue: WorkQueue<string>;
  readonly namespaces: Informer;
  readonly configMaps: Informer;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly caPem: string,
  ) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.namespaces = ctx.informers.forResource(Resources.namespaces);
    this.configMaps = ctx.informers.forResource(Resources.configmaps, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });
    const ns = (o: KubeObject) => this.queue.add(o.metadata.name!);
    this.namespaces.addEventHandler({ onAdd: ns, onUpdate: (_, o) => ns(o) });
    const cm = (o: KubeObject) => o.metadata.namespace && this.queue.add(o.metadata.namespace);
    this.configMaps.addEventHandler({ onUpdate: (_, o) => cm(o), onDelete: cm });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.namespaces, this.configMaps], queue: this.queue, workers: 1, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.getByName(undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
    const existing = this.configMaps.store.getByName(namespace, ROOT_CA_CONFIGMAP);
    const data = { 'ca.crt': this.caPem };
    try {
      if (!existing) {
        await this.ctx.client.create(Resources.configmaps, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        });
        return;
      }
      const cur = (existing as KubeObject & { data?: Record<string, string> }).data ?? {};
      const described = existing.metadata.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION;
      if (cur['ca.crt'] === this.caPem && Object.keys(cur).length === 1 && described) return;
      const next = structuredClone(existing) as KubeObject & { data?: Record<string, string> };
      next.data = data;
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      await this.ctx.client.update(Resources.configmaps, next);
    } catch (err) {
      if (isAlreadyExists(err) || isNotFound(err)) return;
      // The namespace began terminating after our cache saw it.
      if (err instanceof ApiError && err.status === 403) return;
      throw err;
    }
  }
}

/** Factory; `caPem` is the cluster CA certificate (PEM) that clients in pods should trust. */
export function rootCACertPublisher(ctx: ControllerContext, caPem: string): Controller {
  return new RootCACertPublisher(ctx, caPem);
}
