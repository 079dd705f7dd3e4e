/**
 * One pass over one Deployment (upstream sync.go): finding or creating the new ReplicaSet and
 * keeping revisions in step, scaling sets (proportionally while a rollout is under way),
 * cleaning up old sets and writing status. The working copy `d` follows every write.
 */
import { deepCopy, deepEqual } from '../../api/object.js';
import type { ApiClient } from '../../client/client.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import type { Clock } from '../../base/clock.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import { getCondition, newCondition, Reason, setCondition } from './deployment-conditions.js';
import { calculateStatus, hasProgressDeadline, rolloutStatus, stuckRecheckIn } from './deployment-status.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './deployment-types.js';
import { POD_TEMPLATE_HASH, REVISION, specReplicas } from './deployment-types.js';
import { computeHash } from './pod-template-hash.js';
import { desiredReplicasAnnotation, maxReplicasAnnotation, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations } from './replica-set-annotations.js';
import { byRevision, bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, maxRevision } from './replica-set-lists.js';
import { isRollingUpdate, maxSurge, newRSNewReplicas, sumSpecReplicas } from './rollout-limits.js';

export interface SyncDeps {
  client: ApiClient;
  clock: Clock;
  recorder: EventRecorder;
  /** Asks for another pass after `ms` (0: soon, rate limited). */
  requeueAfter(ms: number): void;
}

export class DeploymentSync {
  constructor(
    readonly deps: SyncDeps,
    public d: Deployment,
  ) {}

  /** The new set (undefined if none and `create` is false) and all old sets. */
  async newAndOld(rsList: ReplicaSet[], create: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(this.d, rsList);
    const newRS = await this.newReplicaSet(rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async newReplicaSet(rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const { client, clock, recorder } = this.deps;
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) {
      const copy = deepCopy(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
        copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        return client.update<ReplicaSet>(Resources.replicasets, copy);
      }
      await this.setRevision(copy.metadata.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(this.d) && !getCondition(this.d.status, 'Progressing')) {
        const status = deepCopy(this.d.status ?? {});
        setCondition(status, newCondition('Progressing', 'True', Reason.FoundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`, clock.now()));
        await this.writeStatus(status);
      }
      return copy;
    }
    if (!create) return undefined;
    const template = deepCopy(d.spec.template ?? {});
    const hash = computeHash(d.spec.template ?? {}, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
    const selector = deepCopy(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await client.create<ReplicaSet>(Resources.replicasets, d.metadata.namespace, rs);
    } catch (err) {
      if (isAlreadyExists(err)) {
        const found = await client.get<ReplicaSet>(Resources.replicasets, d.metadata.namespace, rs.metadata.name!);
        if (getControllerOf(found)?.uid === d.metadata.uid && findNewReplicaSet(d, [found])) {
          created = found;
          alreadyExisted = true;
        } else {
          // A hash collision: salt the next hash and try again on the next pass.
          const status = deepCopy(this.d.status ?? {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await this.writeStatus(status);
          throw err;
        }
      } else {
        const msg = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
        if (hasProgressDeadline(d)) {
          const status = deepCopy(this.d.status ?? {});
          setCondition(status, newCondition('Progressing', 'False', Reason.ReplicaSetCreateError, msg, clock.now()));
          await this.writeStatus(status).catch(() => undefined);
        }
        recorder.event(d, 'Warning', Reason.ReplicaSetCreateError, msg);
        throw err;
      }
    }
    if (!alreadyExisted && replicas > 0) recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${replicas}`);
    await this.setRevision(String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(this.d)) {
      const status = deepCopy(this.d.status ?? {});
      setCondition(status, newCondition('Progressing', 'True', Reason.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, clock.now()));
      await this.writeStatus(status);
    }
    return created;
  }

  /**
   * The Deployment's revision annotation. Written with a metadata patch: status writes here
   * keep metadata, whereas upstream's Deployment status strategy lets annotations through.
   */
  private async setRevision(revision: string): Promise<void> {
    if (!revision || this.d.metadata.annotations?.[REVISION] === revision) return;
    const updated = await this.deps.client.patch<Deployment>(Resources.deployments, this.d.metadata.namespace, this.d.metadata.name!, 'merge', {
      metadata: { annotations: { [REVISION]: revision }, resourceVersion: this.d.metadata.resourceVersion },
    });
    this.d = { ...updated, status: this.d.status };
  }

  async writeStatus(status: DeploymentStatus): Promise<void> {
    const updated = await this.deps.client.updateStatus<Deployment>(Resources.deployments, { ...this.d, status });
    this.d = updated;
  }

  /** Scales one set and records ScalingReplicaSet when its size changes. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const d = this.d;
    const sizeChanges = specReplicas(rs) !== newScale;
    const max = specReplicas(d) + maxSurge(d);
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, specReplicas(d), max)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = deepCopy(rs);
    copy.spec.replicas = newScale;
    setReplicasAnnotations(copy, specReplicas(d), max);
    const updated = await this.deps.client.update<ReplicaSet>(Resources.replicasets, copy);
    if (sizeChanges) {
      const op = oldScale < newScale ? 'up' : 'down';
      this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} to ${newScale} from ${oldScale}`);
    }
    return { scaled: sizeChanges, rs: updated };
  }

  async scaleAndRecord(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale);
  }

  /** A replica count change not (yet) reflected in the sets' desired-replicas annotations. */
  async isScalingEvent(rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.newAndOld(rsList, false);
    for (const rs of filterActive([...oldRSs, newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired !== undefined && desired !== specReplicas(this.d)) return true;
    }
    return false;
  }

  /** Scaling without a rollout (paused, or replicas changed): upstream sync(). */
  async syncScale(rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.newAndOld(rsList, false);
    await this.scale(newRS, oldRSs);
    if (this.d.spec.paused) await this.cleanup(oldRSs);
    await this.syncStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  /** Spreads a change of spec.replicas over the sets in proportion to their size. */
  async scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const d = this.d;
    const only = findActiveOrLatest(newRS, oldRSs);
    if (only) {
      if (specReplicas(only) !== specReplicas(d)) await this.scaleAndRecord(only, specReplicas(d));
      return;
    }
    if (this.isSaturated(newRS)) {
      for (const old of filterActive(oldRSs)) await this.scaleAndRecord(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = filterActive([...oldRSs, newRS]);
    const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
    const toAdd = allowed - sumSpecReplicas(all);
    if (toAdd > 0) all.sort(bySizeNewer);
    else if (toAdd < 0) all.sort(bySizeOlder);
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = this.proportion(rs, toAdd, added);
        sizes.set(rs.metadata.name!, specReplicas(rs) + p);
        added += p;
      } else sizes.set(rs.metadata.name!, specReplicas(rs));
    }
    for (let i = 0; i < all.length; i++) {
      const rs = all[i];
      // Rounding leftovers go to the largest set.
      if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!);
    }
  }

  private isSaturated(rs: ReplicaSet | undefined): boolean {
    if (!rs) return false;
    const want = specReplicas(this.d);
    return specReplicas(rs) === want && desiredReplicasAnnotation(rs) === want && (rs.status?.availableReplicas ?? 0) === want;
  }

  private proportion(rs: ReplicaSet, toAdd: number, added: number): number {
    if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
    const d = this.d;
    let fraction: number;
    if (specReplicas(d) === 0) fraction = -specReplicas(rs);
    else {
      const total = specReplicas(d) + maxSurge(d);
      const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
      const size = annotated === 0 ? 0 : (specReplicas(rs) * total) / annotated;
      // Go's math.Round: halves away from zero.
      fraction = Math.sign(size) * Math.round(Math.abs(size)) - specReplicas(rs);
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  /** Deletes the oldest empty sets beyond revisionHistoryLimit. */
  async cleanup(oldRSs: ReplicaSet[]): Promise<void> {
    const limit = this.d.spec.revisionHistoryLimit ?? 10;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    alive.sort(byRevision);
    for (const rs of alive.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.deps.client.delete(Resources.replicasets, rs.metadata.namespace, rs.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Status only (scaling passes, deleted Deployments): upstream syncDeploymentStatus. */
  async syncStatus(all: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const status = calculateStatus(all, newRS, this.d, this.deps.clock.now());
    if (deepEqual(this.d.status ?? {}, status)) return;
    await this.writeStatus(status);
  }

  /** Status with progress conditions after a rollout step: upstream syncRolloutStatus. */
  async syncRolloutStatus(all: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const status = rolloutStatus(all, newRS, this.d, now);
    if (deepEqual(this.d.status ?? {}, status)) {
      const wait = stuckRecheckIn(this.d, status, now);
      if (wait !== undefined) this.deps.requeueAfter(wait);
      return;
    }
    await this.writeStatus(status);
  }

  /** Progressing=Unknown DeploymentPaused / DeploymentResumed as pause toggles. */
  async checkPausedConditions(): Promise<void> {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const c = getCondition(d.status, 'Progressing');
    if (c?.reason === Reason.ProgressDeadlineExceeded) return;
    const pausedCond = c?.reason === Reason.DeploymentPaused;
    const status = deepCopy(d.status ?? {});
    const now = this.deps.clock.now();
    if (d.spec.paused && !pausedCond) setCondition(status, newCondition('Progressing', 'Unknown', Reason.DeploymentPaused, 'Deployment is paused', now));
    else if (!d.spec.paused && pausedCond) setCondition(status, newCondition('Progressing', 'Unknown', Reason.DeploymentResumed, 'Deployment is resumed', now));
    else return;
    await this.writeStatus(status);
  }
}

