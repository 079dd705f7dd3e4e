/**
 * The CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go): creates a
 * Job for each scheduled time, tracks active Jobs in status, applies concurrencyPolicy and
 * startingDeadlineSeconds, prunes finished Jobs beyond the history limits, and requeues each
 * CronJob for exactly its next scheduled time (no polling).
 */
import { deepCopy, type KubeObject } from '../../api/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import { runQueue } from '../common/run-controller.js';
import { finishedCondition } from '../job/job-conditions.js';
import type { Controller, ControllerContext } from '../types.js';
import { isValidTimeZone, parseSchedule, type Schedule } from './schedule.js';
import { mostRecentScheduleTime } from './schedule-times.js';

export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const CRONJOB_UID_INDEX = 'cronjob-controller-uid';
/** Upstream requeues a little after the scheduled time so the clock has surely passed it. */
const NEXT_SCHEDULE_DELTA_MS = 100;

interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
}

interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`: one name per scheduled time. */
export function jobNameFor(cronJobName: string, scheduledTime: number): string {
  return `${cronJobName}-${Math.floor(scheduledTime / 60_000)}`;
}

/** RFC 3339 with the zone's offset (upstream formats the annotation in the CronJob's zone). */
export function formatInZone(ms: number, timeZone: string | undefined): string {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return rfc3339(ms);
  const parts: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const wallUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offMin = Math.round((wallUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  const off = offMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${off}`;
}

/** Go's time.RFC1123Z in UTC, the form upstream's MissSchedule event uses. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export class CronJobController implements Controller {
  readonly name = 'cronjob-controller';
  readonly queue: WorkQueue<string>;
  readonly cronJobs: Informer;
  readonly jobs: Informer;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.cronJobs = ctx.informers.forResource(Resources.cronjobs);
    this.jobs = ctx.informers.forResource(Resources.jobs);
    this.recorder = ctx.recorder('cronjob-controller');
    this.jobs.addIndexer(CRONJOB_UID_INDEX, (j) => {
      const ref = getControllerOf(j);
      return ref?.kind === 'CronJob' ? [ref.uid] : [];
    });
    this.cronJobs.addEventHandler({
      onAdd: (c) => this.queue.add(keyOf(c)),
      onUpdate: (_o, c) => this.queue.add(keyOf(c)),
      onDelete: (c) => this.queue.add(keyOf(c)),
    });
    const enqueueOwner = (j: KubeObject) => {
      const ref = getControllerOf(j);
      if (ref?.kind === 'CronJob') this.queue.add(`${j.metadata.namespace}/${ref.name}`);
    };
    this.jobs.addEventHandler({ onAdd: enqueueOwner, onUpdate: (_o, j) => enqueueOwner(j), onDelete: enqueueOwner });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({
      name: this.name,
      signal,
      informers: [this.cronJobs, this.jobs],
      queue: this.queue,
      workers: 5,
      log: this.ctx.log,
      sync: (key) => this.sync(key),
    });
  }

  async sync(key: string): Promise<void> {
    const cached = this.cronJobs.store.get(key);
    if (!cached) return;
    const cj = deepCopy(cached);
    const status = ((cj.status ??= {}) as CronJobStatus);
    const jobs = this.jobs.store.byIndex(CRONJOB_UID_INDEX, cj.metadata.uid!);
    let changed = this.reconcileActive(cj, status, jobs);
    const spec = cj.spec as CronJobSpec;
    const next = await this.syncSchedule(cj, spec, status);
    changed ||= next.changed;
    if (changed) {
      // A merge patch, not a PUT: the cached CronJob may trail our own previous write, and the
      // fields below are exactly what this sync decided.
      await this.ctx.client.patch(
        Resources.cronjobs,
        cj.metadata.namespace,
        cj.metadata.name!,
        'merge',
        { status: { active: status.active ?? null, lastScheduleTime: status.lastScheduleTime ?? null, lastSuccessfulTime: status.lastSuccessfulTime ?? null } },
        { subresource: 'status' },
      );
    }
    if (!cj.metadata.deletionTimestamp) await this.cleanupFinishedJobs(cj, spec);
    if (next.requeueAfter !== undefined) this.queue.addAfter(key, next.requeueAfter);
  }

  /** Updates status.active and lastSuccessfulTime from the Jobs this CronJob owns. */
  private reconcileActive(cj: KubeObject, status: CronJobStatus, jobs: KubeObject[]): boolean {
    let changed = false;
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid!);
      const inActive = (status.active ?? []).some((r) => r.uid === j.metadata.uid);
      const cond = finishedCondition(j);
      if (!inActive && !cond) {
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (inActive && cond) {
        status.active = (status.active ?? []).filter((r) => r.uid !== j.metadata.uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${cond.type}`);
        changed = true;
      }
      if (cond?.type === 'Complete') {
        const done = parseTime((j.status as { completionTime?: string } | undefined)?.completionTime);
        const last = parseTime(status.lastSuccessfulTime);
        if (done !== undefined && (last === undefined || done > last)) {
          status.lastSuccessfulTime = rfc3339(done);
          changed = true;
        }
      }
    }
    // A Job in the active list that no longer exists: the cache is authoritative enough here
    // because Jobs are only removed from it after their DELETE event.
    for (const r of [...(status.active ?? [])]) {
      if (children.has(r.uid ?? '')) continue;
      this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`);
      status.active = (status.active ?? []).filter((x) => x.uid !== r.uid);
      changed = true;
    }
    if (status.active && status.active.length === 0) delete status.active;
    return changed;
  }

  private async syncSchedule(cj: KubeObject, spec: CronJobSpec, status: CronJobStatus): Promise<{ changed: boolean; requeueAfter?: number }> {
    const none = { changed: false };
    if (cj.metadata.deletionTimestamp) return none;
    const now = this.ctx.clock.now();
    if (spec.timeZone && !isValidTimeZone(spec.timeZone)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": unknown time zone ${spec.timeZone}`);
      return none;
    }
    let schedule: Schedule;
    try {
      schedule = parseSchedule(spec.schedule, spec.timeZone ?? 'UTC');
    } catch (err) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${(err as Error).message}`);
      return none;
    }
    if (/(^|\s)(CRON_TZ|TZ)=/.test(spec.schedule)) {
      this.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule "${spec.schedule}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    if (spec.suspend) return none;

    const nextDelay = () => {
      const n = schedule.next(now);
      return n === undefined ? undefined : n - now + NEXT_SCHEDULE_DELTA_MS;
    };
    let earliest = parseTime(status.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? now;
    if (spec.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - spec.startingDeadlineSeconds * 1000);
    const { mostRecent: scheduled, missed } = mostRecentScheduleTime(schedule, earliest, now);
    if (missed > 100) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    if (scheduled === undefined) return { changed: false, requeueAfter: nextDelay() };

    if (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return { changed: false, requeueAfter: nextDelay() };
    }
    const name = jobNameFor(cj.metadata.name!, scheduled);
    if ((status.active ?? []).some((r) => r.name === name) || parseTime(status.lastScheduleTime) === scheduled) {
      return { changed: false, requeueAfter: nextDelay() };
    }
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { changed: false, requeueAfter: nextDelay() };
    }
    let changed = false;
    if (policy === 'Replace') {
      for (const r of [...(status.active ?? [])]) {
        try {
          await this.ctx.client.delete(Resources.jobs, r.namespace ?? cj.metadata.namespace, r.name!, { propagationPolicy: 'Background' });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${r.name}`);
        } catch (err) {
          if (!isNotFound(err)) {
            this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
            throw err;
          }
        }
        status.active = (status.active ?? []).filter((x) => x.uid !== r.uid);
        changed = true;
      }
    }
    const job = this.jobFromTemplate(cj, spec, scheduled, name);
    let created: KubeObject;
    try {
      created = await this.ctx.client.create(Resources.jobs, cj.metadata.namespace, job);
    } catch (err) {
      // Someone (an earlier run of ours) created it: the next sync sees it through the informer.
      if (isAlreadyExists(err)) return { changed, requeueAfter: nextDelay() };
      this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    status.active = [
      ...(status.active ?? []),
      { kind: 'Job', namespace: created.metadata.namespace, name: created.metadata.name, uid: created.metadata.uid, apiVersion: 'batch/v1', resourceVersion: created.metadata.resourceVersion },
    ];
    status.lastScheduleTime = rfc3339(scheduled);
    return { changed: true, requeueAfter: nextDelay() };
  }

  private jobFromTemplate(cj: KubeObject, spec: CronJobSpec, scheduled: number, name: string): KubeObject {
    const tmpl = spec.jobTemplate ?? {};
    const annotations = { ...(tmpl.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP]: formatInZone(scheduled, spec.timeZone) };
    const metadata: KubeObject['metadata'] = {
      name,
      namespace: cj.metadata.namespace,
      annotations,
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    };
    if (tmpl.metadata?.labels) metadata.labels = { ...tmpl.metadata.labels };
    return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: deepCopy(tmpl.spec ?? {}) };
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit. */
  private async cleanupFinishedJobs(cj: KubeObject, spec: CronJobSpec): Promise<void> {
    if (spec.successfulJobsHistoryLimit === undefined && spec.failedJobsHistoryLimit === undefined) return;
    const jobs = this.jobs.store.byIndex(CRONJOB_UID_INDEX, cj.metadata.uid!).filter((j) => !j.metadata.deletionTimestamp);
    const succeeded = jobs.filter((j) => finishedCondition(j)?.type === 'Complete');
    const failed = jobs.filter((j) => finishedCondition(j)?.type === 'Failed');
    const victims = [...oldestBeyond(succeeded, spec.successfulJobsHistoryLimit), ...oldestBeyond(failed, spec.failedJobsHistoryLimit)];
    for (const j of victims) {
      try {
        await this.ctx.client.delete(Resources.jobs, j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background' });
        this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
      } catch (err) {
        if (!isNotFound(err)) {
          this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
          throw err;
        }
      }
    }
  }
}

/** Jobs beyond `limit`, oldest first by startTime (jobs never started count as oldest). */
function oldestBeyond(jobs: KubeObject[], limit: number | undefined): KubeObject[] {
  if (limit === undefined || jobs.length <= limit) return [];
  const start = (j: KubeObject) => parseTime((j.status as { startTime?: string } | undefined)?.startTime) ?? -1;
  const sorted = [...jobs].sort((a, b) => start(a) - start(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return sorted.slice(0, jobs.length - limit);
}
