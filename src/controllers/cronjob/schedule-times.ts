/**
 * Which scheduled time a CronJob should act on now (upstream cronjob utils.go
 * mostRecentScheduleTime), kept pure so it can be tested with plain numbers.
 */
import type { Schedule } from './schedule.js';

export interface MissedTimes {
  /** The latest scheduled time in (earliest, now], if any. */
  mostRecent?: number;
  /** Roughly how many times were missed since `earliest` (the controller warns above 100). */
  missed: number;
}

/**
 * `earliest` is lastScheduleTime or, before the first run, the creation time; with
 * startingDeadlineSeconds it is never earlier than now minus the deadline.
 */
export function mostRecentScheduleTime(schedule: Schedule, earliest: number, now: number): MissedTimes {
  if (earliest > now) return { missed: 0 };
  const t1 = schedule.next(earliest);
  if (t1 === undefined || t1 > now) return { missed: 0 };
  const t2 = schedule.next(t1);
  if (t2 === undefined || t2 > now) return { mostRecent: t1, missed: 1 };
  // Estimate the count from the first interval, then walk only the tail, so a schedule that
  // has been missed for months costs a handful of steps rather than one per missed minute.
  const interval = Math.max(1000, t2 - t1);
  const missed = Math.floor((now - t1) / interval) + 1;
  let mostRecent: number | undefined;
  const from = t1 + Math.max(0, missed - 2) * interval;
  for (let t = schedule.next(from - 1); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  if (mostRecent === undefined) {
    // Irregular schedules (e.g. weekdays only) can defeat the estimate: walk from the start.
    for (let t: number | undefined = t1; t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  }
  return { mostRecent, missed };
}
