/**
 * The EndpointSlice controller (upstream pkg/controller/endpointslice): IPv4 EndpointSlices
 * named `<service>-<random>` for every Service with a selector, owned by the Service, holding
 * at most 100 endpoints each with ready/serving/terminating conditions.
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import { newControllerRef } from '../common/controller-ref.js';
import { runQueue } from '../common/run-controller.js';
import { HEADLESS_LABEL, servicesForPod } from '../endpoints/endpoints-controller.js';
import { isHeadless, serviceSelector } from '../endpoints/service-pods.js';
import type { Controller, ControllerContext } from '../types.js';
import { desiredPortGroups, type SliceEndpoint, type SlicePort } from './desired-endpoints.js';
import { planSlices } from './reconcile.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const SERVICE_INDEX = 'service';

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice-controller';
  readonly services: Informer;
  readonly pods: Informer;
  readonly slices: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly log: Logger;
  /**
   * Our own writes per Service (slice name → resourceVersion, or null for a delete) that the
   * cache has not shown yet; syncing before it does would create duplicate slices (upstream's
   * endpointSliceTracker).
   */
  private readonly written = new Map<string, Map<string, string | null>>();

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.log = ctx.log;
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.services = ctx.informers.forResource(Resources.services);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.slices = ctx.informers.forResource(Resources.endpointslices);
    this.slices.addIndexer(SERVICE_INDEX, (s) => {
      const l = s.metadata.labels ?? {};
      return l[MANAGED_BY_LABEL] === CONTROLLER_NAME && l[SERVICE_NAME_LABEL] ? [`${s.metadata.namespace}/${l[SERVICE_NAME_LABEL]}`] : [];
    });
    const enqueue = (o: KubeObject) => this.queue.add(keyOf(o));
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const podChanged = (...pods: KubeObject[]) => {
      for (const k of servicesForPod(this.services, pods)) this.queue.add(k);
    };
    this.pods.addEventHandler({ onAdd: (p) => podChanged(p), onUpdate: (o, n) => podChanged(o, n), onDelete: (p) => podChanged(p) });
    const sliceChanged = (s: KubeObject) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    this.slices.addEventHandler({ onUpdate: (_o, n) => sliceChanged(n), onDelete: sliceChanged });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.services, this.pods, this.slices], queue: this.queue, workers: 2, log: this.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const svc = this.services.store.get(key);
    const existing = this.slices.store.byIndex(SERVICE_INDEX, key);
    if (!this.cacheCaughtUp(key, existing)) {
      this.queue.addAfter(key, 100);
      return;
    }
    // Deleted Services' slices go with their owner reference (garbage collector).
    if (!svc || svc.metadata.deletionTimestamp) return;
    const selector = serviceSelector(svc);
    if (!selector) return;

    const desired = desiredPortGroups(svc, selector, this.pods.store.listNamespace(svc.metadata.namespace));
    const plan = planSlices(existing, desired);
    const labels = this.sliceLabels(svc);
    const ownerRef = newControllerRef(svc, 'v1', 'Service');

    const written = new Map<string, string | null>();
    this.written.set(key, written);
    const record = (o: KubeObject) => written.set(o.metadata.name!, o.metadata.resourceVersion ?? '');
    for (const s of plan.delete) {
      try {
        await this.client.delete(Resources.endpointslices, s.metadata.namespace, s.metadata.name!);
        written.set(s.metadata.name!, null);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    for (const w of plan.update) record(await this.client.update(Resources.endpointslices, this.sliceBody(svc, labels, ownerRef, w.ports, w.endpoints, w.existing)));
    for (const s of plan.unchanged) {
      if (deepEqual(s.metadata.labels ?? {}, labels) && hasOwnerRef(s, svc)) continue;
      record(await this.client.update(Resources.endpointslices, this.sliceBody(svc, labels, ownerRef, (s.ports as SlicePort[]) ?? [], (s.endpoints as SliceEndpoint[]) ?? [], s)));
    }
    for (const w of plan.create) record(await this.client.create(Resources.endpointslices, svc.metadata.namespace, this.sliceBody(svc, labels, ownerRef, w.ports, w.endpoints)));
  }

  private cacheCaughtUp(key: string, existing: KubeObject[]): boolean {
    const written = this.written.get(key);
    if (!written) return true;
    const byName = new Map(existing.map((s) => [s.metadata.name!, s]));
    for (const [name, rv] of written) {
      const seen = byName.get(name);
      if (rv === null ? seen !== undefined : !seen || Number(seen.metadata.resourceVersion) < Number(rv)) return false;
    }
    this.written.delete(key);
    return true;
  }

  private sliceLabels(svc: KubeObject): Record<string, string> {
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];
    labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
    return labels;
  }

  private sliceBody(svc: KubeObject, labels: Record<string, string>, ownerRef: ReturnType<typeof newControllerRef>, ports: SlicePort[], endpoints: SliceEndpoint[], existing?: KubeObject): KubeObject {
    const metadata = existing
      ? { ...existing.metadata, labels, ownerReferences: [ownerRef] }
      : { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [ownerRef] };
    return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints, ports };
  }
}

function hasOwnerRef(slice: KubeObject, svc: KubeObject): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid && r.controller === true);
}
