/**
 * The Deployment controller (upstream pkg/controller/deployment): claims the ReplicaSets its
 * selector matches, then per pass either only scales (paused, replicas changed) or takes one
 * rollout step (RollingUpdate or Recreate), and writes status with progress conditions.
 */
import type { KubeObject } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import { fromLabelSelectorObject, matchesLabels } from '../../api/selectors/label-selector.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf } from '../common/controller-ref.js';
import { runQueue } from '../common/run-controller.js';
import { claimObjects } from '../replicaset/controller-ref-claims.js';
import type { Controller, ControllerContext } from '../types.js';
import { DeploymentSync } from './deployment-sync.js';
import type { Deployment, ReplicaSet } from './deployment-types.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';

const WORKERS = 5;

export class DeploymentController implements Controller {
  readonly name = 'deployment-controller';
  readonly queue: WorkQueue<string>;
  readonly deployments: Informer<Deployment>;
  readonly replicaSets: Informer<ReplicaSet>;
  readonly pods: Informer;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.recorder = ctx.recorder('deployment-controller');
    this.deployments = ctx.informers.forResource<Deployment>(Resources.deployments);
    this.replicaSets = ctx.informers.forResource<ReplicaSet>(Resources.replicasets);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_o, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(undefined, rs),
      onUpdate: (old, rs) => this.replicaSetChanged(old, rs),
      onDelete: (rs) => this.ownerOf(rs) && this.enqueue(this.ownerOf(rs)!),
    });
    this.pods.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({
      name: this.name,
      signal,
      informers: [this.deployments as unknown as Informer, this.replicaSets as unknown as Informer, this.pods],
      queue: this.queue,
      workers: WORKERS,
      log: this.ctx.log,
      sync: (k) => this.sync(k),
    });
  }

  async sync(key: string): Promise<void> {
    const cached = this.deployments.store.get(key);
    if (!cached) return;
    const s = new DeploymentSync(
      { client: this.ctx.client, clock: this.ctx.clock, recorder: this.recorder, requeueAfter: (ms) => (ms < 1000 ? this.queue.addRateLimited(key) : this.queue.addAfter(key, ms)) },
      deepCopy(cached),
    );
    const d = s.d;
    const selector = fromLabelSelectorObject(d.spec.selector);
    if (selector.length === 0) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await s.writeStatus({ ...(d.status ?? {}), observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = await claimObjects(this.replicaSets.store.listNamespace(d.metadata.namespace), {
      client: this.ctx.client,
      resource: Resources.replicasets,
      owner: d,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'Deployment',
      selector,
      canAdopt: async () => {
        try {
          const fresh = await this.ctx.client.get(Resources.deployments, d.metadata.namespace, d.metadata.name!);
          return fresh.metadata.uid === d.metadata.uid && !fresh.metadata.deletionTimestamp;
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      },
    });
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await s.newAndOld(rsList, false);
      return s.syncStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    }
    await s.checkPausedConditions();
    if (s.d.spec.paused) return s.syncScale(rsList);
    if (await s.isScalingEvent(rsList)) return s.syncScale(rsList);
    if (s.d.spec.strategy?.type === 'Recreate') return rolloutRecreate(s, rsList, this.podsBySet(rsList));
    return rolloutRolling(s, rsList);
  }

  private podsBySet(rsList: ReplicaSet[]): Map<string, KubeObject[]> {
    const uids = new Set(rsList.map((rs) => rs.metadata.uid));
    const out = new Map<string, KubeObject[]>();
    for (const rs of rsList) out.set(rs.metadata.uid!, []);
    const ns = rsList[0]?.metadata.namespace;
    if (ns === undefined) return out;
    for (const pod of this.pods.store.listNamespace(ns)) {
      const uid = getControllerOf(pod)?.uid;
      if (uid && uids.has(uid)) out.get(uid)!.push(pod);
    }
    return out;
  }

  private enqueue(d: KubeObject): void {
    this.queue.add(keyOf(d));
  }

  private ownerOf(rs: KubeObject): Deployment | undefined {
    const ref = getControllerOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.store.getByName(rs.metadata.namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(old: ReplicaSet | undefined, rs: ReplicaSet): void {
    if (old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const oldRef = old ? getControllerOf(old) : undefined;
    const ref = getControllerOf(rs);
    if (old && oldRef && oldRef.uid !== ref?.uid) {
      const prev = this.ownerOf(old);
      if (prev) this.enqueue(prev);
    }
    if (ref) {
      const d = this.ownerOf(rs);
      if (d) this.enqueue(d);
      return;
    }
    // An orphan: every Deployment that might adopt it.
    for (const d of this.deployments.store.listNamespace(rs.metadata.namespace)) {
      const sel = fromLabelSelectorObject(d.spec.selector);
      if (sel.length && matchesLabels(sel, rs.metadata.labels)) this.enqueue(d);
    }
  }

  /** Recreate waits for old pods to be gone, so their final deletion matters. */
  private podDeleted(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.store.getByName(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.ownerOf(rs);
    if (d && d.spec.strategy?.type === 'Recreate') this.enqueue(d);
  }
}
