/**
 * The Endpoints controller (upstream pkg/controller/endpoint): one Endpoints object per Service
 * with a selector, listing the selected pods' IPs as ready or not-ready addresses per resolved
 * port. Selector-less Services are left alone (users manage their Endpoints), and so is
 * default/kubernetes, which the API server maintains.
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../base/clock.js';
import { isPodReady } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import {
  findPort,
  isHeadless,
  podHostname,
  podIP,
  podNodeName,
  podTargetRef,
  selectsPod,
  serviceSelector,
  serviceSpec,
  shouldPodBeInEndpoints,
} from './service-pods.js';
import { SubsetBuilder, type EndpointSubset } from './subsets.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const API_SERVER_ENDPOINTS = 'default/kubernetes';

/** Enqueues every Service in the pod's namespace whose selector selects the pod (before or after). */
export function servicesForPod(services: Informer, pods: KubeObject[]): string[] {
  const keys = new Set<string>();
  for (const pod of pods) {
    for (const svc of services.store.listNamespace(pod.metadata.namespace)) {
      const sel = serviceSelector(svc);
      if (sel && selectsPod(sel, pod)) keys.add(keyOf(svc));
    }
  }
  return [...keys];
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints-controller';
  readonly services: Informer;
  readonly pods: Informer;
  readonly endpoints: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.log = ctx.log;
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.services = ctx.informers.forResource(Resources.services);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.endpoints = ctx.informers.forResource(Resources.endpoints);
    const enqueue = (o: KubeObject) => this.queue.add(keyOf(o));
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const podChanged = (...pods: KubeObject[]) => {
      for (const k of servicesForPod(this.services, pods)) this.queue.add(k);
    };
    this.pods.addEventHandler({ onAdd: (p) => podChanged(p), onUpdate: (o, n) => podChanged(o, n), onDelete: (p) => podChanged(p) });
    // An Endpoints object changed or deleted behind our back is put right again.
    this.endpoints.addEventHandler({ onUpdate: (_o, n) => this.requeueIfOwned(n), onDelete: (o) => this.requeueIfOwned(o) });
  }

  private requeueIfOwned(ep: KubeObject): void {
    if (this.services.store.get(keyOf(ep))) this.queue.add(keyOf(ep));
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({
      name: this.name,
      signal,
      informers: [this.services, this.pods, this.endpoints],
      queue: this.queue,
      workers: 2,
      log: this.log,
      sync: (k) => this.sync(k),
    });
  }

  async sync(key: string): Promise<void> {
    if (key === API_SERVER_ENDPOINTS) return;
    const { namespace, name } = splitKey(key);
    const svc = this.services.store.get(key);
    if (!svc) {
      try {
        await this.client.delete(Resources.endpoints, namespace, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const selector = serviceSelector(svc);
    if (!selector) return;

    const subsets = this.desiredSubsets(svc, selector);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];

    const current = this.endpoints.store.get(key);
    const currentSubsets = (current?.subsets as EndpointSubset[] | undefined) ?? [];
    if (current && deepEqual(currentSubsets, subsets) && deepEqual(current.metadata.labels ?? {}, labels)) return;
    if (!current && svc.metadata.deletionTimestamp) return;

    const annotations = { ...(current?.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: rfc3339(this.clock.now()) };
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? { name, namespace }), labels, annotations },
      subsets,
    };
    if (current) await this.client.update(Resources.endpoints, body);
    else await this.client.create(Resources.endpoints, namespace, body);
  }

  private desiredSubsets(svc: KubeObject, selector: NonNullable<ReturnType<typeof serviceSelector>>): EndpointSubset[] {
    const spec = serviceSpec(svc);
    const ports = spec.ports ?? [];
    const builder = new SubsetBuilder();
    for (const pod of this.pods.store.listNamespace(svc.metadata.namespace)) {
      if (!selectsPod(selector, pod) || !shouldPodBeInEndpoints(pod, false)) continue;
      const address = {
        ip: podIP(pod)!,
        ...(podHostname(pod, svc) ? { hostname: podHostname(pod, svc) } : {}),
        ...(podNodeName(pod) ? { nodeName: podNodeName(pod) } : {}),
        targetRef: podTargetRef(pod),
      };
      const ready = spec.publishNotReadyAddresses === true || isPodReady(pod);
      if (ports.length === 0) {
        if (isHeadless(svc)) builder.add(address, ready);
        continue;
      }
      for (const p of ports) {
        const port = findPort(pod, p);
        if (port === undefined) continue;
        builder.add(address, ready, {
          ...(p.name ? { name: p.name } : {}),
          port,
          protocol: p.protocol ?? 'TCP',
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        });
      }
    }
    return builder.build();
  }
}
