/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset), also serving
 * ReplicationControllers through a ReplicaKind. sync(key) claims the pods its selector
 * matches, creates or deletes pods towards spec.replicas, and writes status. Expectations
 * keep it from acting again before its informer has seen its own creates and deletes.
 */
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import { matchesLabels } from '../../api/selectors/label-selector.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, splitKey, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import { ControllerExpectations } from '../common/expectations.js';
import { isPodActive, isPodReady } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { claimObjects } from './controller-ref-claims.js';
import { podsToDelete } from './pod-deletion-order.js';
import { desiredReplicas, replicaSpec, type ReplicaKind } from './replica-kind.js';
import { calculateStatus, nextAvailableIn, statusEqual, type ManageFailure, type ReplicaStatus } from './replica-status.js';
import { slowStartBatch } from './slow-start.js';

/** Upstream BurstReplicas: the most pods created or deleted in one sync. */
const BURST_REPLICAS = 500;
const WORKERS = 5;

export interface ReplicaSetControllerOptions {
  burstReplicas?: number;
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  readonly expectations: ControllerExpectations;
  readonly owners: Informer;
  readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly burst: number;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kind: ReplicaKind,
    opts: ReplicaSetControllerOptions = {},
  ) {
    this.name = kind.component;
    this.burst = opts.burstReplicas ?? BURST_REPLICAS;
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder(kind.component);
    this.owners = ctx.informers.forResource(kind.resource);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.owners.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (_old, rs) => this.enqueue(rs),
      onDelete: (rs) => {
        const key = keyOf(rs);
        this.expectations.delete(key);
        this.queue.add(key);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.owners, this.pods], queue: this.queue, workers: WORKERS, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const rs = this.owners.store.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selector(rs);
    if (!selector) {
      this.ctx.log.debug('ignoring object without a usable selector', { controller: this.name, key });
      return;
    }
    const active = this.pods.store.listNamespace(rs.metadata.namespace).filter(isPodActive);
    const pods = await claimObjects(active, {
      client: this.ctx.client,
      resource: Resources.pods,
      owner: rs,
      ownerApiVersion: this.kind.apiVersion,
      ownerKind: this.kind.kind,
      selector,
      canAdopt: () => this.canAdopt(rs),
    });
    let failure: ManageFailure | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) failure = await this.manageReplicas(key, rs, pods);
    const now = this.ctx.clock.now();
    await this.writeStatus(rs, calculateStatus(rs, pods, failure, now));
    if (failure) throw failure.error;
    const wait = nextAvailableIn(rs, pods, now);
    if (wait !== undefined) this.queue.addAfter(key, wait);
  }

  private async manageReplicas(key: string, rs: KubeObject, pods: KubeObject[]): Promise<ManageFailure | undefined> {
    const diff = pods.length - desiredReplicas(rs);
    if (diff < 0) {
      const n = Math.min(-diff, this.burst);
      this.expectations.expectCreations(key, n);
      const { successes, error } = await slowStartBatch(n, 1, () => this.createPod(rs));
      // Creates that failed or were never tried will not be observed.
      if (n - successes > 0) this.expectations.lowerExpectations(key, n - successes, 0);
      return error === undefined ? undefined : { scalingUp: true, error };
    }
    if (diff > 0) {
      const n = Math.min(diff, this.burst);
      const victims = podsToDelete(pods, this.relatedPods(rs), n, this.ctx.clock.now());
      this.expectations.expectTracked(key, 0, victims.map(keyOf));
      const results = await Promise.allSettled(victims.map((p) => this.deletePod(rs, p)));
      let error: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        // Not found means someone else deleted it: the delete event may already be gone.
        this.expectations.deletionObservedFor(key, keyOf(victims[i]));
        if (!isNotFound(r.reason)) error ??= r.reason;
      });
      return error === undefined ? undefined : { scalingUp: false, error };
    }
    return undefined;
  }

  private async createPod(rs: KubeObject): Promise<void> {
    const template = replicaSpec(rs).template ?? {};
    const meta = template.metadata ?? {};
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        ...(meta.labels ? { labels: { ...meta.labels } } : {}),
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ownerReferences: [newControllerRef(rs, this.kind.apiVersion, this.kind.kind)],
      },
      spec: deepCopy(template.spec ?? {}),
    };
    try {
      const created = await this.ctx.client.create<KubeObject>(Resources.pods, rs.metadata.namespace, pod);
      this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (err) {
      this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async deletePod(rs: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.ctx.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!);
      this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      if (!isNotFound(err)) this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  /** Active pods of every set sharing this one's controller (a Deployment's sets). */
  private relatedPods(rs: KubeObject): KubeObject[] {
    const ref = getControllerOf(rs);
    if (!ref) return [];
    const siblings = new Set(
      this.owners.store
        .listNamespace(rs.metadata.namespace)
        .filter((o) => getControllerOf(o)?.uid === ref.uid)
        .map((o) => o.metadata.uid),
    );
    return this.pods.store.listNamespace(rs.metadata.namespace).filter((p) => isPodActive(p) && siblings.has(getControllerOf(p)?.uid));
  }

  /** Adoption needs an owner that is current and not being deleted (a fresh read, not the cache). */
  private async canAdopt(rs: KubeObject): Promise<boolean> {
    try {
      const fresh = await this.ctx.client.get(this.kind.resource, rs.metadata.namespace, rs.metadata.name!);
      return fresh.metadata.uid === rs.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async writeStatus(rs: KubeObject, status: ReplicaStatus): Promise<void> {
    if (statusEqual(rs.status, status)) return;
    let target = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ctx.client.updateStatus(this.kind.resource, { ...target, status });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 1) throw err;
        target = await this.ctx.client.get(this.kind.resource, rs.metadata.namespace, rs.metadata.name!);
        if (target.metadata.uid !== rs.metadata.uid) return;
      }
    }
  }

  private enqueue(rs: KubeObject): void {
    this.queue.add(keyOf(rs));
  }

  private resolveRef(namespace: string | undefined, ref: OwnerReference): KubeObject | undefined {
    if (ref.kind !== this.kind.kind) return undefined;
    const rs = this.owners.store.getByName(namespace, ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** Sets whose selector matches an orphan pod. */
  private matchingOwners(pod: KubeObject): KubeObject[] {
    return this.owners.store.listNamespace(pod.metadata.namespace).filter((rs) => {
      const sel = this.kind.selector(rs);
      return sel !== undefined && matchesLabels(sel, pod.metadata.labels);
    });
  }

  private podAdded(pod: KubeObject): void {
    // A pod that arrives already being deleted (e.g. after a relist) only counts as a deletion.
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveRef(pod.metadata.namespace, ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.matchingOwners(pod)) this.enqueue(rs);
  }

  private podUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion: the pod stops counting now, not when it finally disappears.
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const rs = this.resolveRef(old.metadata.namespace, oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveRef(cur.metadata.namespace, curRef);
      if (!rs) return;
      this.enqueue(rs);
      const minReady = replicaSpec(rs).minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.matchingOwners(cur)) this.enqueue(rs);
  }

  private podDeleted(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.resolveRef(pod.metadata.namespace, ref);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObservedFor(key, keyOf(pod));
    this.enqueue(rs);
  }
}
