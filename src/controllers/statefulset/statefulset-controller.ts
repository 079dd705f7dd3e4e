/**
 * The StatefulSet controller (upstream pkg/controller/statefulset): pods with stable ordinal
 * identities, created in order (OrderedReady) or all at once (Parallel), removed from the
 * highest ordinal down, rolled from the highest ordinal down to the partition, with the pod
 * template history kept as ControllerRevisions.
 */
import type { KubeObject } from '../../api/object.js';
import { fromLabelSelectorObject, matchesLabels } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { keyOf, type Indexer, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf } from '../common/controller-ref.js';
import { runQueue } from '../common/run-controller.js';
import type { ControllerRevision } from '../history/controller-revision.js';
import { RevisionHistory } from '../history/revision-history.js';
import { claimOwned, controllerUidIndex, CONTROLLER_UID_INDEX } from '../history/claim-owned.js';
import type { Controller, ControllerContext } from '../types.js';
import { isCreated, isFailed, isHealthy, isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating } from './pod-health.js';
import { statefulSetRevisions, type SetRevisions } from './revisions.js';
import {
  claimsFor,
  getOrdinal,
  newStatefulSetPod,
  podRevision,
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  type StatefulSet,
  type StatefulSetStatus,
} from './stateful-pod.js';

const DEFAULT_HISTORY_LIMIT = 10;

export class StatefulSetController implements Controller {
  readonly name = 'statefulset-controller';
  readonly queue: WorkQueue<string>;
  readonly sets: Informer<StatefulSet>;
  readonly pods: Informer;
  readonly revisions: Informer<ControllerRevision>;
  readonly claims: Informer;
  private readonly recorder: EventRecorder;
  private readonly history: RevisionHistory;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.sets = ctx.informers.forResource<StatefulSet>(Resources.statefulsets);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.revisions = ctx.informers.forResource<ControllerRevision>(Resources.controllerrevisions);
    this.claims = ctx.informers.forResource(Resources.persistentvolumeclaims);
    this.recorder = ctx.recorder('statefulset-controller');
    this.history = new RevisionHistory(ctx.client);
    this.pods.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex);
    this.revisions.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex);

    this.sets.addEventHandler({
      onAdd: (s) => this.queue.add(keyOf(s)),
      onUpdate: (_o, s) => this.queue.add(keyOf(s)),
      onDelete: (s) => this.queue.add(keyOf(s)),
    });
    const ownerHandler = {
      onAdd: (o: KubeObject) => this.enqueueOwner(o),
      onUpdate: (old: KubeObject, o: KubeObject) => {
        this.enqueueOwner(o);
        const oldRef = getControllerOf(old);
        if (oldRef && oldRef.uid !== getControllerOf(o)?.uid) this.enqueueOwner(old);
      },
      onDelete: (o: KubeObject) => this.enqueueOwner(o),
    };
    this.pods.addEventHandler(ownerHandler);
    this.revisions.addEventHandler(ownerHandler);
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({
      name: this.name,
      signal,
      informers: [this.sets, this.pods, this.revisions, this.claims] as unknown as Informer[],
      queue: this.queue,
      workers: 5,
      log: this.ctx.log,
      sync: (key) => this.sync(key),
    });
  }

  private enqueueOwner(o: KubeObject): void {
    const ref = getControllerOf(o);
    if (ref) {
      if (ref.kind === 'StatefulSet') this.queue.add(`${o.metadata.namespace}/${ref.name}`);
      return;
    }
    // An orphan: every set that might adopt it looks at it.
    for (const set of this.sets.store.listNamespace(o.metadata.namespace)) {
      if (matchesLabels(fromLabelSelectorObject(set.spec.selector), o.metadata.labels)) this.queue.add(keyOf(set));
    }
  }

  async sync(key: string): Promise<void> {
    const set = this.sets.store.get(key);
    if (!set) return;
    const selector = fromLabelSelectorObject(set.spec.selector);
    // An empty selector would match every pod in the namespace; upstream refuses it.
    if (selector.length === 0) return;
    const base = { client: this.ctx.client, owner: set, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet', selector };
    const pods = await claimOwned({ ...base, store: this.pods.store, resource: Resources.pods, adoptable: (p) => getOrdinal(set, p) >= 0 });
    const owned = await claimOwned({ ...base, store: this.revisions.store as unknown as Indexer, resource: Resources.controllerrevisions });
    // A deleting set's pods and claims go through the garbage collector; nothing to add.
    if (set.metadata.deletionTimestamp) return;
    const revs = await statefulSetRevisions(this.history, set, owned as ControllerRevision[]);
    const status = await this.reconcile(set, revs, pods);
    await this.writeStatus(set, status);
    const live = new Set<string>([revs.current.metadata.name!, revs.update.metadata.name!]);
    for (const p of pods) {
      const r = podRevision(p);
      if (r) live.add(r);
    }
    await this.history.truncate(revs.all, (r) => live.has(r.metadata.name!), set.spec.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT);
  }

  private computeStatus(set: StatefulSet, revs: SetRevisions, pods: KubeObject[]): StatefulSetStatus {
    const now = this.ctx.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    const s: StatefulSetStatus = {
      observedGeneration: set.metadata.generation,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      currentRevision: revs.current.metadata.name,
      updateRevision: revs.update.metadata.name,
      collisionCount: revs.collisionCount,
    };
    for (const pod of pods) {
      if (getOrdinal(set, pod) < 0) continue;
      s.replicas!++;
      if (isRunningAndReady(pod)) {
        s.readyReplicas!++;
        if (isRunningAndAvailable(pod, minReady, now)) s.availableReplicas!++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        if (podRevision(pod) === revs.current.metadata.name) s.currentReplicas!++;
        if (podRevision(pod) === revs.update.metadata.name) s.updatedReplicas!++;
      }
    }
    const replicas = set.spec.replicas ?? 1;
    // A finished rolling update makes the update revision current (upstream completeRollingUpdate).
    if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && s.updatedReplicas === replicas && s.readyReplicas === replicas && s.replicas === replicas) {
      s.currentRevision = s.updateRevision;
      s.currentReplicas = s.updatedReplicas;
    }
    if (set.status?.conditions) s.conditions = set.status.conditions;
    return s;
  }

  /** Acts on the pods (at most one step in OrderedReady mode) and returns the status seen before acting. */
  private async reconcile(set: StatefulSet, revs: SetRevisions, pods: KubeObject[]): Promise<StatefulSetStatus> {
    const status = this.computeStatus(set, revs, pods);
    const now = this.ctx.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const start = set.spec.ordinals?.start ?? 0;
    const replicaCount = set.spec.replicas ?? 1;
    const slots: (KubeObject | undefined)[] = new Array(replicaCount).fill(undefined);
    const condemned: KubeObject[] = [];
    for (const pod of pods) {
      const ord = getOrdinal(set, pod);
      if (ord >= start && ord < start + replicaCount) slots[ord - start] = pod;
      else if (ord >= 0) condemned.push(pod);
    }
    condemned.sort((a, b) => getOrdinal(set, a) - getOrdinal(set, b));
    let waitForAvailability = false;

    for (let i = 0; i < slots.length; i++) {
      const ordinal = start + i;
      const pod = slots[i];
      if (pod && (isFailed(pod) || isSucceeded(pod)) && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        if (monotonic) return status;
        continue;
      }
      if (!pod) {
        await this.createPod(set, this.revisionFor(set, revs, ordinal), ordinal);
        if (monotonic) return status;
        continue;
      }
      if (isTerminating(pod) || !isCreated(pod)) {
        if (monotonic) return status;
        continue;
      }
      if (!isRunningAndReady(pod)) {
        if (monotonic) return status;
        continue;
      }
      if (!isRunningAndAvailable(pod, minReady, now)) {
        waitForAvailability = true;
        if (monotonic) return this.requeueForAvailability(set, status);
        continue;
      }
      await this.fixIdentity(set, pod, ordinal);
    }

    // Scale down: from the highest ordinal, one at a time in OrderedReady mode while the rest are healthy.
    const firstUnhealthy = [...slots, ...condemned].find((p) => !p || !isHealthy(p, minReady, now));
    for (let t = condemned.length - 1; t >= 0; t--) {
      const pod = condemned[t];
      if (isTerminating(pod)) {
        if (monotonic) return status;
        continue;
      }
      if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return status;
      await this.deletePod(set, pod, true);
      if (monotonic) return status;
    }
    if (waitForAvailability) return this.requeueForAvailability(set, status);

    if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return status;
    const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let i = slots.length - 1; i >= partition - start && i >= 0; i--) {
      const pod = slots[i]!;
      if (podRevision(pod) !== revs.update.metadata.name && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        return status;
      }
      if (!isHealthy(pod, minReady, now)) return status;
    }
    return status;
  }

  private requeueForAvailability(set: StatefulSet, status: StatefulSetStatus): StatefulSetStatus {
    this.queue.addAfter(keyOf(set), (set.spec.minReadySeconds ?? 0) * 1000 + 100);
    return status;
  }

  /** Below the partition pods keep the current revision; at or above it they get the update (upstream newVersionedStatefulSetPod). */
  private revisionFor(set: StatefulSet, revs: SetRevisions, ordinal: number): ControllerRevision {
    if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      return ordinal < partition ? revs.current : revs.update;
    }
    // OnDelete: replacements of pods deleted by the user get the update revision.
    return revs.update;
  }

  private async createPod(set: StatefulSet, revision: ControllerRevision, ordinal: number): Promise<void> {
    const pod = newStatefulSetPod(set, revision, ordinal);
    await this.createClaims(set, pod, ordinal);
    try {
      await this.ctx.client.create(Resources.pods, set.metadata.namespace, pod);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  }

  /** PVCs exist before their pod; they carry owner refs only when the retention policy says Delete. */
  private async createClaims(set: StatefulSet, pod: KubeObject, ordinal: number): Promise<void> {
    const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
    for (const claim of claimsFor(set, ordinal).values()) {
      if (this.claims.store.getByName(claim.metadata.namespace, claim.metadata.name!)) continue;
      if (policy.whenDeleted === 'Delete') {
        claim.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, blockOwnerDeletion: true }];
      }
      try {
        await this.ctx.client.create(Resources.persistentvolumeclaims, claim.metadata.namespace, claim);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
        throw err;
      }
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    }
  }

  private async deletePod(set: StatefulSet, pod: KubeObject, scaledDown = false): Promise<void> {
    if (scaledDown && set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await this.handOverClaims(set, pod);
    try {
      await this.ctx.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  }

  /** whenScaled=Delete: the condemned pod owns its claims, so the garbage collector removes them after it. */
  private async handOverClaims(set: StatefulSet, pod: KubeObject): Promise<void> {
    const ordinal = getOrdinal(set, pod);
    for (const claim of claimsFor(set, ordinal).values()) {
      const live = this.claims.store.getByName(claim.metadata.namespace, claim.metadata.name!);
      if (!live || (live.metadata.ownerReferences ?? []).some((r) => r.uid === pod.metadata.uid)) continue;
      const refs = [...(live.metadata.ownerReferences ?? []), { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! }];
      try {
        await this.ctx.client.patch(Resources.persistentvolumeclaims, live.metadata.namespace, live.metadata.name!, 'merge', { metadata: { ownerReferences: refs } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Pod labels are the only identity a live pod can have restored (hostname/subdomain are immutable). */
  private async fixIdentity(set: StatefulSet, pod: KubeObject, ordinal: number): Promise<void> {
    const labels = pod.metadata.labels ?? {};
    const want = { [POD_NAME_LABEL]: pod.metadata.name!, [POD_INDEX_LABEL]: String(ordinal) };
    if (labels[POD_NAME_LABEL] === want[POD_NAME_LABEL] && labels[POD_INDEX_LABEL] === want[POD_INDEX_LABEL]) return;
    try {
      await this.ctx.client.patch(Resources.pods, pod.metadata.namespace, pod.metadata.name!, 'merge', { metadata: { labels: want } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    const cur = set.status ?? {};
    const keys = Object.keys(status) as (keyof StatefulSetStatus)[];
    if (keys.every((k) => JSON.stringify(cur[k]) === JSON.stringify(status[k]))) return;
    try {
      await this.ctx.client.updateStatus(Resources.statefulsets, { ...set, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export function statefulSetController(ctx: ControllerContext): Controller {
  return new StatefulSetController(ctx);
}
