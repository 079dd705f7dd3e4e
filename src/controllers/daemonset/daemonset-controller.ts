/**
 * The DaemonSet controller (upstream pkg/controller/daemon): one daemon pod on every node the
 * template fits and whose taints it tolerates, pinned there by node affinity for the scheduler
 * to bind; pods on nodes that no longer qualify are removed; RollingUpdate replaces pods within
 * maxUnavailable/maxSurge, OnDelete waits for users; templates are kept as ControllerRevisions.
 */
import type { KubeObject } from '../../api/object.js';
import { fromLabelSelectorObject, matchesLabels } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { isNotFound } from '../../client/errors.js';
import { keyOf, type Indexer, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf } from '../common/controller-ref.js';
import { ControllerExpectations } from '../common/expectations.js';
import { isPodAvailable, isPodReady, podPhase } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import { claimOwned, controllerUidIndex, CONTROLLER_UID_INDEX } from '../history/claim-owned.js';
import type { ControllerRevision } from '../history/controller-revision.js';
import { RevisionHistory } from '../history/revision-history.js';
import type { Controller, ControllerContext } from '../types.js';
import { daemonPodSpec, newDaemonPod, targetNodeName } from './daemon-pod.js';
import { cleanupHistory, constructHistory } from './daemonset-history.js';
import { nodeShouldRunDaemonPod, nodeTaints, type Placement } from './node-eligibility.js';
import { desiredCounts, isPodUpdated, planRollingUpdate } from './rolling-update.js';

interface DaemonSetSpec {
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSet extends KubeObject {
  spec: DaemonSetSpec;
  status?: Record<string, unknown>;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset-controller';
  readonly queue: WorkQueue<string>;
  readonly daemonSets: Informer<DaemonSet>;
  readonly pods: Informer;
  readonly nodes: Informer;
  readonly revisions: Informer<ControllerRevision>;
  readonly expectations: ControllerExpectations;
  private readonly recorder: EventRecorder;
  private readonly history: RevisionHistory;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.daemonSets = ctx.informers.forResource<DaemonSet>(Resources.daemonsets);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.nodes = ctx.informers.forResource(Resources.nodes);
    this.revisions = ctx.informers.forResource<ControllerRevision>(Resources.controllerrevisions);
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder('daemonset-controller');
    this.history = new RevisionHistory(ctx.client);
    this.pods.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex);
    this.revisions.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex);

    this.daemonSets.addEventHandler({
      onAdd: (d) => this.queue.add(keyOf(d)),
      onUpdate: (_o, d) => this.queue.add(keyOf(d)),
      onDelete: (d) => {
        this.expectations.delete(keyOf(d));
        this.queue.add(keyOf(d));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => {
        const key = this.ownerKey(p);
        if (key) this.expectations.creationObserved(key);
        this.enqueueFor(p);
      },
      onUpdate: (old, p) => {
        this.enqueueFor(p);
        if (getControllerOf(old)?.uid !== getControllerOf(p)?.uid) this.enqueueFor(old);
      },
      onDelete: (p) => {
        const key = this.ownerKey(p);
        if (key) this.expectations.deletionObservedFor(key, keyOf(p));
        this.enqueueFor(p);
      },
    });
    this.revisions.addEventHandler({ onAdd: (r) => this.enqueueFor(r), onDelete: (r) => this.enqueueFor(r) });
    // Heartbeats change node status constantly; only what placement reads matters.
    const placementOf = (n: KubeObject) => JSON.stringify([n.metadata.labels ?? {}, nodeTaints(n)]);
    this.nodes.addEventHandler({
      onAdd: () => this.enqueueAll(),
      onUpdate: (old, n) => {
        if (placementOf(old) !== placementOf(n)) this.enqueueAll();
      },
      onDelete: () => this.enqueueAll(),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({
      name: this.name,
      signal,
      informers: [this.daemonSets, this.pods, this.nodes, this.revisions] as unknown as Informer[],
      queue: this.queue,
      workers: 2,
      log: this.ctx.log,
      sync: (key) => this.sync(key),
    });
  }

  private ownerKey(o: KubeObject): string | undefined {
    const ref = getControllerOf(o);
    return ref?.kind === 'DaemonSet' ? `${o.metadata.namespace}/${ref.name}` : undefined;
  }

  private enqueueFor(o: KubeObject): void {
    const ref = getControllerOf(o);
    if (ref) {
      if (ref.kind === 'DaemonSet') this.queue.add(`${o.metadata.namespace}/${ref.name}`);
      return;
    }
    for (const ds of this.daemonSets.store.listNamespace(o.metadata.namespace)) {
      if (matchesLabels(fromLabelSelectorObject(ds.spec.selector), o.metadata.labels)) this.queue.add(keyOf(ds));
    }
  }

  private enqueueAll(): void {
    for (const ds of this.daemonSets.store.list()) this.queue.add(keyOf(ds));
  }

  async sync(key: string): Promise<void> {
    const ds = this.daemonSets.store.get(key);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    const selector = fromLabelSelectorObject(ds.spec.selector);
    if (selector.length === 0) return;
    const base = { client: this.ctx.client, owner: ds, ownerApiVersion: 'apps/v1', ownerKind: 'DaemonSet', selector };
    const pods = await claimOwned({ ...base, store: this.pods.store, resource: Resources.pods });
    const owned = (await claimOwned({ ...base, store: this.revisions.store as unknown as Indexer, resource: Resources.controllerrevisions })) as ControllerRevision[];
    const nodes = this.nodes.store.list();
    const deleting = Boolean(ds.metadata.deletionTimestamp);
    const podSpec = daemonPodSpec(ds.spec.template);
    const placements = new Map<string, Placement>(nodes.map((n) => [n.metadata.name!, nodeShouldRunDaemonPod(n, podSpec, deleting)]));
    const nodeToPods = groupByNode(pods);
    if (deleting) {
      // Pods go with the DaemonSet through the garbage collector; only report.
      await this.writeStatus(ds, nodeToPods, placements, '', undefined);
      return;
    }
    const h = await constructHistory(this.history, ds, owned);
    if (this.expectations.satisfied(key)) {
      const acted = await this.manage(ds, key, nodeToPods, placements, h.hash);
      if (!acted && this.expectations.satisfied(key) && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        await this.rollingUpdate(ds, key, nodeToPods, placements, h.hash);
      }
      await cleanupHistory(this.history, ds, h, pods);
    }
    await this.writeStatus(ds, nodeToPods, placements, h.hash, h.collisionCount);
  }

  /** Creates missing daemon pods and deletes misplaced, failed and duplicate ones; true if it acted. */
  private async manage(ds: DaemonSet, key: string, nodeToPods: Map<string, KubeObject[]>, placements: Map<string, Placement>, hash: string): Promise<boolean> {
    const createOn: string[] = [];
    const toDelete: KubeObject[] = [];
    const surge = this.surgeEnabled(ds, placements);
    for (const [nodeName, placement] of placements) {
      const pods = (nodeToPods.get(nodeName) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      if (placement.shouldRun && pods.length === 0) {
        createOn.push(nodeName);
      } else if (placement.shouldContinueRunning) {
        const running: KubeObject[] = [];
        for (const pod of pods) {
          if (podPhase(pod) === 'Failed') {
            this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
            toDelete.push(pod);
          } else running.push(pod);
        }
        running.sort(olderFirst);
        if (surge) {
          // While surging, a node may hold one old and one updated pod; anything beyond goes.
          const keepOld = running.find((p) => !isPodUpdated(p, hash));
          const keepNew = running.find((p) => isPodUpdated(p, hash));
          for (const p of running) if (p !== keepOld && p !== keepNew) toDelete.push(p);
        } else {
          toDelete.push(...running.slice(1));
        }
      } else {
        toDelete.push(...pods);
      }
    }
    // Pods pinned to nodes that no longer exist.
    for (const [nodeName, pods] of nodeToPods) {
      if (!placements.has(nodeName)) toDelete.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    }
    await this.syncNodes(ds, key, toDelete, createOn, hash);
    return createOn.length + toDelete.length > 0;
  }

  private surgeEnabled(ds: DaemonSet, placements: Map<string, Placement>): boolean {
    if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return false;
    const desired = [...placements.values()].filter((p) => p.shouldRun).length;
    return desiredCounts(ds.spec.updateStrategy?.rollingUpdate, desired).maxSurge > 0;
  }

  private async rollingUpdate(ds: DaemonSet, key: string, nodeToPods: Map<string, KubeObject[]>, placements: Map<string, Placement>, hash: string): Promise<void> {
    const desired = [...placements.values()].filter((p) => p.shouldRun).length;
    const { maxSurge, maxUnavailable } = desiredCounts(ds.spec.updateStrategy?.rollingUpdate, desired);
    const eligible = new Map([...nodeToPods].filter(([n]) => placements.get(n)?.shouldRun));
    const now = this.ctx.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const plan = planRollingUpdate({ nodeToPods: eligible, hash, maxSurge, maxUnavailable, isAvailable: (p) => isPodAvailable(p, minReady, now) });
    await this.syncNodes(ds, key, plan.deletePods, plan.createOnNodes, hash);
  }

  private async syncNodes(ds: DaemonSet, key: string, toDelete: KubeObject[], createOn: string[], hash: string): Promise<void> {
    if (toDelete.length === 0 && createOn.length === 0) return;
    this.expectations.expectTracked(key, createOn.length, toDelete.map(keyOf));
    const results = await Promise.allSettled([
      ...createOn.map(async (nodeName) => {
        try {
          const pod = await this.ctx.client.create<KubeObject>(Resources.pods, ds.metadata.namespace, newDaemonPod(ds, nodeName, hash));
          this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (err) {
          this.expectations.lowerExpectations(key, 1, 0);
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
          throw err;
        }
      }),
      ...toDelete.map(async (pod) => {
        try {
          await this.ctx.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObservedFor(key, keyOf(pod));
          if (isNotFound(err)) return;
          this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          throw err;
        }
      }),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async writeStatus(ds: DaemonSet, nodeToPods: Map<string, KubeObject[]>, placements: Map<string, Placement>, hash: string, collisionCount: number | undefined): Promise<void> {
    const now = this.ctx.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const [nodeName, placement] of placements) {
      const pods = [...(nodeToPods.get(nodeName) ?? [])].sort(olderFirst);
      if (placement.shouldRun) {
        desired++;
        if (pods.length === 0) continue;
        current++;
        const pod = pods[0];
        if (isPodReady(pod)) {
          ready++;
          if (isPodAvailable(pod, minReady, now)) available++;
        }
        if (hash && isPodUpdated(pod, hash)) updated++;
      } else if (pods.length > 0) {
        misscheduled++;
      }
    }
    const prev = ds.status ?? {};
    const status: Record<string, unknown> = {
      ...prev,
      observedGeneration: ds.metadata.generation,
      desiredNumberScheduled: desired,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    if (collisionCount) status.collisionCount = collisionCount;
    // NOTE: upstream omits zero counts it declares omitempty; kubectl reads absent as 0 either way.
    if (status.numberAvailable === 0) delete status.numberAvailable;
    if (status.numberUnavailable === 0) delete status.numberUnavailable;
    if (status.updatedNumberScheduled === 0) delete status.updatedNumberScheduled;
    if (minReady > 0 && ready !== available) this.queue.addAfter(keyOf(ds), minReady * 1000);
    if (JSON.stringify(sortKeys(prev)) === JSON.stringify(sortKeys(status))) return;
    try {
      await this.ctx.client.updateStatus(Resources.daemonsets, { ...ds, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function groupByNode(pods: KubeObject[]): Map<string, KubeObject[]> {
  const m = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const node = targetNodeName(p);
    if (!node) continue;
    let list = m.get(node);
    if (!list) m.set(node, (list = []));
    list.push(p);
  }
  return m;
}

/** Oldest first; among equals, a running pod before a pending one (upstream podByCreationTimestampAndPhase). */
function olderFirst(a: KubeObject, b: KubeObject): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const ra = podPhase(a) === 'Running' ? 0 : 1;
  const rb = podPhase(b) === 'Running' ? 0 : 1;
  if (ra !== rb) return ra - rb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

function sortKeys(o: Record<string, unknown>): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

export function daemonSetController(ctx: ControllerContext): Controller {
  return new DaemonSetController(ctx);
}
