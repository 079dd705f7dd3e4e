/**
 * The Job controller (upstream pkg/controller/job/job_controller.go, 1.32 behaviour): runs pods
 * to completion. Pods carry the job-tracking finalizer; finished pods are first listed in
 * status.uncountedTerminatedPods, then their finalizer is removed, then they move into the
 * succeeded/failed counters, so no pod is lost or counted twice across restarts. Terminal
 * conditions are two-step as in 1.32: SuccessCriteriaMet / FailureTarget first, then Complete /
 * Failed once no pod of the job is still terminating.
 *
 * Not implemented: backoffLimitPerIndex / maxFailedIndexes, successPolicy, adoption of orphan
 * pods that match a job's selector (skiff's pods are created by the controller with an owner).
 */
import { deepCopy, type KubeObject } from '../../api/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { isNotFound } from '../../client/errors.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf } from '../common/controller-ref.js';
import { ControllerExpectations } from '../common/expectations.js';
import { isPodActive, isPodReady, podPhase } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { completionIndexOf, firstPendingIndexes, formatIndexes, parseIndexes } from './completion-index.js';
import { ensureCondition, findCondition, isJobFinished, newCondition, type JobCondition } from './job-conditions.js';
import { compareForDeletion, isTerminating, newJobPod, restartsOfLivePods } from './job-pods.js';
import { PodBackoffStore, remainingBackoff, type BackoffRecord } from './pod-backoff.js';
import { matchPodFailurePolicy, type PodFailurePolicy } from './pod-failure-policy.js';
import { FinalizerExpectations, hasTrackingFinalizer, removeTrackingFinalizer } from './tracking-finalizer.js';

const JOB_UID_INDEX = 'job-controller-uid';
/** Upstream caps creations/deletions per sync and uncounted uids per status write. */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const MAX_UNCOUNTED_PODS = 500;
const MANAGED_BY_DEFAULT = 'kubernetes.io/job-controller';

interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  completionMode?: string;
  suspend?: boolean;
  podFailurePolicy?: PodFailurePolicy;
  podReplacementPolicy?: string;
  managedBy?: string;
  template?: { spec?: { restartPolicy?: string } };
}

interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  [k: string]: unknown;
}

/** What one sync knows about a job. */
interface SyncState {
  key: string;
  job: KubeObject;
  spec: JobSpec;
  status: JobStatus;
  pods: KubeObject[];
  active: KubeObject[];
  ready: number;
  terminating: number;
  succeeded: number;
  expectedRm: ReadonlySet<string>;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  backoff: BackoffRecord;
  finished?: JobCondition;
  prevSucceededIndexes: Set<number>;
  succeededIndexes: Set<number>;
}

export class JobController implements Controller {
  readonly name = 'job-controller';
  readonly queue: WorkQueue<string>;
  readonly orphanQueue: WorkQueue<string>;
  readonly jobs: Informer;
  readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly expectations: ControllerExpectations;
  private readonly finalizers = new FinalizerExpectations();
  private readonly backoff = new PodBackoffStore();
  /**
   * resourceVersion of the last status this controller wrote per job, until the job informer
   * shows it. Syncing on an older cached status could miss pods whose finalizer is already gone
   * and count them as never finished (and create extra pods).
   */
  private readonly unobservedStatus = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.orphanQueue = new WorkQueue<string>({ clock: ctx.clock });
    this.jobs = ctx.informers.forResource(Resources.jobs);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.recorder = ctx.recorder('job-controller');
    this.expectations = new ControllerExpectations(ctx.clock);
    this.pods.addIndexer(JOB_UID_INDEX, (p) => {
      const ref = getControllerOf(p);
      return ref?.kind === 'Job' ? [ref.uid] : [];
    });

    this.jobs.addEventHandler({
      onAdd: (j) => this.queue.add(keyOf(j)),
      onUpdate: (_o, j) => {
        this.observeStatus(j);
        this.queue.add(keyOf(j));
      },
      onDelete: (j) => {
        this.unobservedStatus.delete(keyOf(j));
        this.queue.add(keyOf(j));
        // Pods of a deleted job keep their finalizer until someone removes it: that is us.
        for (const p of this.pods.store.byIndex(JOB_UID_INDEX, j.metadata.uid!)) if (hasTrackingFinalizer(p)) this.orphanQueue.add(keyOf(p));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => {
        const key = this.jobKeyOf(p);
        if (p.metadata.deletionTimestamp) return this.podGone(p, false);
        if (key) this.expectations.creationObserved(key);
        this.enqueueForPod(p);
      },
      onUpdate: (old, p) => {
        const key = this.jobKeyOf(p);
        if (key && hasTrackingFinalizer(old) && !hasTrackingFinalizer(p)) this.finalizers.observed(key, p.metadata.uid!);
        if (p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return this.podGone(p, false);
        this.enqueueForPod(p);
        const oldRef = getControllerOf(old);
        if (oldRef && oldRef.uid !== getControllerOf(p)?.uid) this.enqueueForPod(old);
      },
      onDelete: (p) => this.podGone(p, true),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    const common = { signal, informers: [this.jobs, this.pods], log: this.ctx.log };
    return Promise.all([
      runQueue({ ...common, name: this.name, queue: this.queue, workers: 5, sync: (k) => this.sync(k) }),
      runQueue({ ...common, name: `${this.name}-orphans`, queue: this.orphanQueue, workers: 1, sync: (k) => this.syncOrphanPod(k) }),
    ]).then(() => undefined);
  }

  private observeStatus(job: KubeObject): void {
    const key = keyOf(job);
    const want = this.unobservedStatus.get(key);
    if (want === undefined) return;
    const seen = Number(job.metadata.resourceVersion);
    const wanted = Number(want);
    if (Number.isNaN(seen) || Number.isNaN(wanted) || seen >= wanted) this.unobservedStatus.delete(key);
  }

  private jobKeyOf(pod: KubeObject): string | undefined {
    const ref = getControllerOf(pod);
    if (ref?.kind !== 'Job') return undefined;
    const job = this.jobs.store.getByName(pod.metadata.namespace, ref.name);
    return job && job.metadata.uid === ref.uid ? keyOf(job) : undefined;
  }

  private enqueueForPod(pod: KubeObject): void {
    const key = this.jobKeyOf(pod);
    if (key) {
      this.queue.add(key);
      if (hasTrackingFinalizer(pod) && isJobFinished(this.jobs.store.get(key)!)) this.orphanQueue.add(keyOf(pod));
    } else if (hasTrackingFinalizer(pod)) this.orphanQueue.add(keyOf(pod));
  }

  private podGone(pod: KubeObject, final: boolean): void {
    const key = this.jobKeyOf(pod);
    if (key) {
      if (final || !hasTrackingFinalizer(pod)) this.finalizers.observed(key, pod.metadata.uid!);
      this.expectations.deletionObserved(key);
    }
    this.enqueueForPod(pod);
  }

  /** Removes the tracking finalizer from a pod whose job is gone or finished. */
  async syncOrphanPod(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      // Another kind of owner put the finalizer there for its own reasons.
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.jobs.store.getByName(pod.metadata.namespace, ref.name);
      if (job && job.metadata.uid === ref.uid && !isJobFinished(job)) return;
    }
    await removeTrackingFinalizer(this.ctx.client, pod);
  }

  async sync(key: string): Promise<void> {
    const cached = this.jobs.store.get(key);
    if (!cached) {
      this.expectations.delete(key);
      this.finalizers.delete(key);
      this.backoff.remove(key);
      return;
    }
    // Our own last status write is not in the cache yet; its update event will requeue the job.
    if (this.unobservedStatus.has(key)) return;
    const spec = (cached.spec ?? {}) as JobSpec;
    if (spec.managedBy && spec.managedBy !== MANAGED_BY_DEFAULT) return;
    if (isJobFinished(cached)) {
      this.backoff.remove(key);
      return;
    }
    const recorder = this.recorder;
    if (spec.completionMode && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const now = this.ctx.clock.now();
    const job = deepCopy(cached);
    const status = ((job.status ??= {}) as JobStatus);
    status.uncountedTerminatedPods ??= {};
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? 0;

    // Read expectations before the pods, so a pod arriving in between only delays the sync.
    const satisfied = this.expectations.satisfied(key);
    const pods = this.pods.store.byIndex(JOB_UID_INDEX, job.metadata.uid!);
    const active = pods.filter(isPodActive);
    const expectedRm = this.finalizers.expected(key);
    const uncountedSucceeded = new Set(status.uncountedTerminatedPods.succeeded ?? []);
    const uncountedFailed = new Set(status.uncountedTerminatedPods.failed ?? []);
    const tracked = (p: KubeObject) => hasTrackingFinalizer(p) && !expectedRm.has(p.metadata.uid!);
    const validIndex = (p: KubeObject) => !indexed || (completionIndexOf(p) >= 0 && completionIndexOf(p) < completions);
    const newSucceeded = pods.filter((p) => tracked(p) && !uncountedSucceeded.has(p.metadata.uid!) && validIndex(p) && podPhase(p) === 'Succeeded');
    const newFailed = pods.filter((p) => tracked(p) && !uncountedFailed.has(p.metadata.uid!) && validIndex(p) && this.isPodFailed(p, spec));
    const newFailedCounted = spec.podFailurePolicy ? newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed).length : newFailed.length;
    const st: SyncState = {
      key,
      job,
      spec,
      status,
      pods,
      active,
      ready: active.filter(isPodReady).length,
      terminating: pods.filter(isTerminating).length,
      succeeded: (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size,
      expectedRm,
      uncountedSucceeded,
      uncountedFailed,
      backoff: this.backoff.newRecord(key, newSucceeded, newFailed, now),
      prevSucceededIndexes: new Set(),
      succeededIndexes: new Set(),
    };
    const failed = (status.failed ?? 0) + newFailedCounted + uncountedFailed.size;
    const suspended = spec.suspend === true;
    if (!status.startTime && !suspended) status.startTime = rfc3339(now);

    st.finished = findCondition(status.conditions, 'SuccessCriteriaMet');
    if (st.finished?.status !== 'True') st.finished = undefined;
    if (!st.finished) {
      const target = findCondition(status.conditions, 'FailureTarget');
      if (target?.status === 'True') st.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const msg = this.failJobMessage(spec, pods);
        if (msg) st.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', msg, now);
      }
    }
    if (!st.finished) {
      const backoffLimit = spec.backoffLimit ?? 6;
      const restarts = spec.template?.spec?.restartPolicy === 'OnFailure' ? restartsOfLivePods(pods) : 0;
      const pastRestartLimit = spec.template?.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
      const startTime = parseTime(status.startTime);
      if (failed > backoffLimit || pastRestartLimit) {
        st.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (spec.activeDeadlineSeconds !== undefined && startTime !== undefined && !suspended) {
        const left = spec.activeDeadlineSeconds * 1000 - (now - startTime);
        if (left <= 0) st.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
        else this.queue.addAfter(key, left);
      }
    }

    if (indexed) {
      st.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
      st.succeededIndexes = new Set(st.prevSucceededIndexes);
      for (const p of pods) if (tracked(p) && podPhase(p) === 'Succeeded' && validIndex(p)) st.succeededIndexes.add(completionIndexOf(p));
      st.succeeded = st.succeededIndexes.size;
    }

    let activeCount = active.length;
    let suspendChanged = false;
    let manageErr: unknown;
    if (st.finished) {
      const { deleted, deletedReady, error } = await this.deletePods(job, active, false);
      if (deleted !== activeCount || !satisfied) st.finished = undefined;
      activeCount -= deleted;
      st.terminating += deleted;
      st.ready -= deletedReady;
      manageErr = error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        try {
          activeCount = await this.manageJob(st);
        } catch (err) {
          manageErr = err;
          activeCount = st.active.length;
        }
        managed = true;
      }
      const complete = spec.completions === undefined ? st.succeeded > 0 && activeCount === 0 : st.succeeded >= completions && activeCount === 0;
      if (complete) {
        st.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        status.conditions ??= [];
        if (suspended) {
          if (ensureCondition(status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts continuous activity, so resuming restarts the clock.
          status.startTime = rfc3339(now);
        }
        if (status.conditions.length === 0) delete status.conditions;
      }
    }

    const needsUpdate =
      suspendChanged ||
      activeCount !== (cached.status as JobStatus | undefined)?.active ||
      st.ready !== (cached.status as JobStatus | undefined)?.ready ||
      st.terminating !== (cached.status as JobStatus | undefined)?.terminating ||
      status.startTime !== (cached.status as JobStatus | undefined)?.startTime;
    if (activeCount) status.active = activeCount;
    else delete status.active;
    status.ready = st.ready;
    status.terminating = st.terminating;
    await this.trackStatusAndRemoveFinalizers(st, needsUpdate);
    if (manageErr) throw manageErr;
  }

  /** With podReplacementPolicy Failed only Failed pods count; otherwise deleted pods too. */
  private isPodFailed(pod: KubeObject, spec: JobSpec): boolean {
    if (podPhase(pod) === 'Failed') return true;
    if (this.onlyReplaceFailed(spec)) return false;
    return !!pod.metadata.deletionTimestamp && podPhase(pod) !== 'Succeeded';
  }

  private onlyReplaceFailed(spec: JobSpec): boolean {
    return spec.podReplacementPolicy === 'Failed' || spec.podFailurePolicy !== undefined;
  }

  private failJobMessage(spec: JobSpec, pods: KubeObject[]): string | undefined {
    if (!spec.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!this.isPodFailed(p, spec)) continue;
      const m = matchPodFailurePolicy(spec.podFailurePolicy, p);
      if (m.failJobMessage) return m.failJobMessage;
    }
    return undefined;
  }

  /** Creates or deletes pods toward the wanted number of active pods; returns the new active count. */
  private async manageJob(st: SyncState): Promise<number> {
    const { job, spec, key } = st;
    let active = st.active.length;
    if (spec.suspend) {
      const victims = [...st.active].sort(compareForDeletion);
      this.expectations.expectDeletions(key, victims.length);
      const r = await this.deletePods(job, victims, true);
      st.terminating += r.deleted;
      st.ready -= r.deletedReady;
      if (r.error) throw r.error;
      return active - r.deleted;
    }
    const parallelism = spec.parallelism ?? 1;
    let want: number;
    if (spec.completions === undefined) want = st.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(spec.completions - st.succeeded, parallelism));

    const victims = this.activePodsForRemoval(st, Math.max(0, active - want)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (victims.length > 0) {
      this.expectations.expectDeletions(key, victims.length);
      const r = await this.deletePods(job, victims, true);
      st.terminating += r.deleted;
      st.ready -= r.deletedReady;
      if (r.error) throw r.error;
      // Deletions and creations never happen in the same sync; deletions go first.
      return active - r.deleted;
    }

    const terminating = this.onlyReplaceFailed(spec) ? st.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return active;
    const wait = remainingBackoff(st.backoff, this.ctx.clock.now());
    if (wait > 0) {
      this.queue.addAfter(key, wait);
      return active;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: (number | undefined)[] = Array.from({ length: diff }, () => undefined);
    if (spec.completionMode === 'Indexed') {
      const activeIndexes = new Set(st.active.map(completionIndexOf));
      indexes = firstPendingIndexes(diff, spec.completions ?? 0, st.succeededIndexes, activeIndexes);
      diff = indexes.length;
    }
    if (diff === 0) return active;
    this.expectations.expectCreations(key, diff);
    // Slow start: batches of 1, 2, 4, … so a systematic failure (quota, admission) costs few calls.
    let firstError: unknown;
    let next = 0;
    for (let batch = 1; next < indexes.length; batch *= 2) {
      const slice = indexes.slice(next, next + batch);
      next += slice.length;
      const results = await Promise.all(slice.map((ix) => this.createPod(job, ix)));
      const failures = results.filter((r) => r !== undefined);
      active += slice.length - failures.length;
      for (const _ of failures) this.expectations.creationObserved(key);
      if (failures.length > 0) {
        firstError = failures[0];
        const skipped = indexes.length - next;
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
        break;
      }
    }
    if (firstError) throw firstError;
    return active;
  }

  /** Returns the error of a failed create, undefined on success. */
  private async createPod(job: KubeObject, index: number | undefined): Promise<unknown> {
    try {
      const pod = await this.ctx.client.create(Resources.pods, job.metadata.namespace, newJobPod(job, index));
      this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      return undefined;
    } catch (err) {
      this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      return err ?? new Error('create failed');
    }
  }

  /** Too many active pods, or (Indexed) pods with a repeated or out-of-range index. */
  private activePodsForRemoval(st: SyncState, atLeast: number): KubeObject[] {
    const remove: KubeObject[] = [];
    let keep = st.active;
    if (st.spec.completionMode === 'Indexed') {
      keep = [];
      const seen = new Set<number>();
      const completions = st.spec.completions ?? 0;
      // The most advanced pod of each index stays.
      for (const p of [...st.active].sort((a, b) => -compareForDeletion(a, b))) {
        const ix = completionIndexOf(p);
        if (ix < 0 || ix >= completions || seen.has(ix) || st.succeededIndexes.has(ix)) remove.push(p);
        else {
          seen.add(ix);
          keep.push(p);
        }
      }
    }
    if (remove.length < atLeast) remove.push(...[...keep].sort(compareForDeletion).slice(0, atLeast - remove.length));
    return remove;
  }

  /**
   * Deletes pods. `dropFinalizer` removes the tracking finalizer first, so pods the controller
   * removes on purpose (suspend, scale down) are not counted as failures.
   */
  private async deletePods(job: KubeObject, pods: KubeObject[], dropFinalizer: boolean): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    const key = keyOf(job);
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          if (dropFinalizer) await removeTrackingFinalizer(this.ctx.client, pod);
          await this.ctx.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!);
          this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          if (dropFinalizer) this.expectations.deletionObserved(key);
          if (!isNotFound(err)) {
            error ??= err;
            this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
            return;
          }
        }
        deleted++;
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return { deleted, deletedReady, error };
  }

  /**
   * Counts finished pods into status in two durable steps (uncounted uids, then counters after
   * the finalizer is gone), writes the interim and terminal conditions, and records events.
   */
  private async trackStatusAndRemoveFinalizers(st: SyncState, needsUpdate: boolean): Promise<void> {
    const { job, spec, status, key } = st;
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? 0;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded = [...(uncounted.succeeded ?? [])];
    uncounted.failed = [...(uncounted.failed ?? [])];
    let flush = needsUpdate;
    const withFinalizer = new Set(st.pods.filter((p) => hasTrackingFinalizer(p) && !st.expectedRm.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
    if (countUncountedWithoutFinalizer(status, withFinalizer)) flush = true;

    const pods = indexed ? [...st.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : st.pods;
    const toRemove: KubeObject[] = [];
    const newIndexes: number[] = [];
    let reachedMax = false;
    const finishedIsFailure = st.finished !== undefined && st.finished.type !== 'SuccessCriteriaMet';
    for (const pod of pods) {
      const uid = pod.metadata.uid!;
      if (!withFinalizer.has(uid)) continue;
      const failedPod = this.isPodFailed(pod, spec);
      if (!(job.metadata.deletionTimestamp || st.finished || podPhase(pod) === 'Succeeded' || failedPod)) continue;
      toRemove.push(pod);
      const ix = completionIndexOf(pod);
      if (podPhase(pod) === 'Succeeded' && !st.uncountedFailed.has(uid)) {
        if (indexed) {
          if (ix >= 0 && ix < completions && !st.prevSucceededIndexes.has(ix)) {
            newIndexes.push(ix);
            flush = true;
          }
        } else if (!st.uncountedSucceeded.has(uid)) {
          uncounted.succeeded.push(uid);
          flush = true;
        }
      } else if (failedPod || finishedIsFailure) {
        // Once the job has failed, every pod not yet terminated counts as failed.
        if (!st.uncountedFailed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          if (!spec.podFailurePolicy || matchPodFailurePolicy(spec.podFailurePolicy, pod).countFailed) {
            uncounted.failed.push(uid);
            flush = true;
          }
        }
      }
      if (newIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      for (const ix of newIndexes) st.succeededIndexes.add(ix);
      const s = formatIndexes(st.succeededIndexes);
      if (s !== (status.completedIndexes ?? '')) flush = true;
      status.succeeded = st.succeededIndexes.size;
      status.completedIndexes = s;
    }
    const now = this.ctx.clock.now();
    status.conditions ??= [];
    if (st.finished?.type === 'FailureTarget') {
      status.conditions.push(st.finished);
      flush = true;
      st.finished = newCondition('Failed', 'True', st.finished.reason ?? '', st.finished.message ?? '', now);
    }
    if (st.finished?.type === 'SuccessCriteriaMet') {
      if (findCondition(status.conditions, 'SuccessCriteriaMet')?.status !== 'True') {
        status.conditions.push(st.finished);
        flush = true;
      }
      st.finished = newCondition('Complete', 'True', st.finished.reason ?? '', st.finished.message ?? '', now);
    }

    let current = job;
    // Step 1: make the uncounted uids durable before any finalizer goes.
    if (flush) {
      current = await this.writeStatus(current);
      this.backoff.commit(key, st.backoff);
      flush = false;
    }
    // Step 2: remove finalizers.
    let rmError: unknown;
    if (toRemove.length > 0) {
      this.finalizers.expectRemoved(key, toRemove.map((p) => p.metadata.uid!));
      await Promise.all(
        toRemove.map(async (pod) => {
          try {
            await removeTrackingFinalizer(this.ctx.client, pod);
            withFinalizer.delete(pod.metadata.uid!);
          } catch (err) {
            this.finalizers.observed(key, pod.metadata.uid!);
            rmError ??= err;
          }
        }),
      );
    }
    // Step 3: move counted uids into the counters.
    if (countUncountedWithoutFinalizer(status, withFinalizer)) flush = true;
    if (rmError) {
      if (flush) await this.writeStatus(current);
      throw rmError;
    }
    const finished = !reachedMax && this.enactFinished(st);
    if (finished || flush) {
      await this.writeStatus(current);
      if (finished) {
        if (st.finished!.type === 'Complete') {
          if (spec.completions !== undefined && (status.succeeded ?? 0) > spec.completions) {
            this.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
          }
          this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
        } else this.recorder.event(job, 'Warning', st.finished!.reason ?? '', st.finished!.message ?? '');
      }
    }
  }

  /** Adds Complete or Failed once nothing is uncounted or still terminating. */
  private enactFinished(st: SyncState): boolean {
    const cond = st.finished;
    if (!cond) return false;
    const u = st.status.uncountedTerminatedPods!;
    if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) > 0) return false;
    if (st.terminating > 0) return false;
    const now = this.ctx.clock.now();
    st.status.conditions ??= [];
    ensureCondition(st.status.conditions, cond.type, cond.status, cond.reason ?? '', cond.message ?? '', now);
    if (cond.type === 'Complete') st.status.completionTime = rfc3339(now);
    return true;
  }

  /** PUT /status with the sync's status on `base` (whose resourceVersion moves forward). */
  private async writeStatus(base: KubeObject): Promise<KubeObject> {
    const status = base.status as JobStatus;
    const u = status.uncountedTerminatedPods ?? {};
    const wire: JobStatus = { ...status, uncountedTerminatedPods: {} };
    if (u.succeeded?.length) wire.uncountedTerminatedPods!.succeeded = [...u.succeeded];
    if (u.failed?.length) wire.uncountedTerminatedPods!.failed = [...u.failed];
    if (!wire.conditions?.length) delete wire.conditions;
    if (!wire.succeeded) delete wire.succeeded;
    if (!wire.failed) delete wire.failed;
    if (!wire.completedIndexes) delete wire.completedIndexes;
    const updated = await this.ctx.client.updateStatus(Resources.jobs, { ...base, status: wire });
    base.metadata.resourceVersion = updated.metadata.resourceVersion;
    this.unobservedStatus.set(keyOf(base), updated.metadata.resourceVersion!);
    const cached = this.jobs.store.get(keyOf(base));
    if (cached) this.observeStatus(cached);
    return base;
  }
}

/** Moves uncounted uids whose pods no longer carry the finalizer into the counters. */
function countUncountedWithoutFinalizer(status: JobStatus, withFinalizer: Set<string>): boolean {
  const u = status.uncountedTerminatedPods!;
  let changed = false;
  const succ = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (succ.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded!.length - succ.length);
    u.succeeded = succ;
    changed = true;
  }
  const fail = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (fail.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed!.length - fail.length);
    u.failed = fail;
    changed = true;
  }
  return changed;
}
