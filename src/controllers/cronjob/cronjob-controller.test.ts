import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as tick } from 'node:timers/promises';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig } from '../types.js';
import { CronJobController, formatInZone, jobNameFor } from './cronjob-controller.js';
import { parseSchedule } from './schedule.js';
import { mostRecentScheduleTime } from './schedule-times.js';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    await tick(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function start() {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:30Z'));
  const cp = await startControlPlane({ clock });
  const client = cp.client('cronjob-controller');
  const informers = cp.informers(client);
  const ctrl = new CronJobController({
    client,
    informers,
    clock,
    log: silentLogger,
    recorder: (c) => new EventRecorder(client, clock, silentLogger, c),
    config: defaultControllerConfig,
  });
  const ac = new AbortController();
  informers.start(ac.signal);
  const done = ctrl.run(ac.signal);
  return {
    clock,
    client,
    stop: async () => {
      ac.abort();
      await done;
      await cp.close();
    },
  };
}

const cronJob = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: 'default' },
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    ...spec,
  },
});

test('every minute creates a Job per scheduled time and respects Forbid', async () => {
  const h = await start();
  try {
    const cj = await h.client.create(Resources.cronjobs, 'default', cronJob('tick', { concurrencyPolicy: 'Forbid' }));
    const jobs = async () => (await h.client.list(Resources.jobs, 'default')).items;
    // The first sync arms a timer for 00:01:00; step time towards it until the Job appears.
    let first: KubeObject | undefined;
    for (let i = 0; i < 100 && !first; i++) {
      if (h.clock.now() < Date.parse('2026-01-01T00:01:01Z')) h.clock.advance(1000);
      await tick(5);
      first = (await jobs())[0];
    }
    assert.ok(first, 'first job created');
    h.clock.advance(Date.parse('2026-01-01T00:01:01Z') - h.clock.now());
    const minute1 = Date.parse('2026-01-01T00:01:00Z');
    assert.equal(first.metadata.name, jobNameFor('tick', minute1));
    assert.equal(first.metadata.name, `tick-${minute1 / 60_000}`);
    assert.equal(first.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:01:00Z');
    assert.equal(first.metadata.ownerReferences?.[0]?.uid, cj.metadata.uid);
    const status = await waitFor('active', async () => {
      const c = await h.client.get(Resources.cronjobs, 'default', 'tick');
      return (c.status as { active?: unknown[] } | undefined)?.active?.length === 1 ? (c.status as Record<string, unknown>) : undefined;
    });
    assert.equal(status.lastScheduleTime, '2026-01-01T00:01:00Z');

    // Forbid: the next minute passes while the first job is still running.
    h.clock.advance(60_000);
    await waitFor('JobAlreadyActive', async () => (await h.client.list(Resources.events, 'default')).items.some((e) => e.reason === 'JobAlreadyActive'));
    assert.equal((await jobs()).length, 1);

    // The first job completes: the run missed at 00:02 starts now, late (no startingDeadlineSeconds).
    const done = await h.client.get(Resources.jobs, 'default', first.metadata.name!);
    const now = rfc3339(h.clock.now());
    done.status = { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: now }] };
    await h.client.updateStatus(Resources.jobs, done);
    await waitFor('lastSuccessfulTime', async () => {
      const c = await h.client.get(Resources.cronjobs, 'default', 'tick');
      return (c.status as { lastSuccessfulTime?: string; active?: unknown[] }).lastSuccessfulTime === now;
    });
    const second = await waitFor('second job', async () => (await jobs()).find((j) => j.metadata.name !== first!.metadata.name));
    assert.equal(second.metadata.name, jobNameFor('tick', Date.parse('2026-01-01T00:02:00Z')));
    const reasons = (await h.client.list(Resources.events, 'default')).items.map((e) => e.reason);
    assert.ok(reasons.includes('SawCompletedJob'));
    assert.ok(reasons.includes('SuccessfulCreate'));
  } finally {
    await h.stop();
  }
});

test('history limits delete the oldest finished jobs', async () => {
  const h = await start();
  try {
    const cj = await h.client.create(Resources.cronjobs, 'default', cronJob('hist', { suspend: true, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    const owner = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hist', uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    const mk = async (name: string, minute: number, type: 'Complete' | 'Failed') => {
      const job = await h.client.create(Resources.jobs, 'default', {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: 'default', ownerReferences: owner },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      });
      const t = rfc3339(Date.parse('2026-01-01T00:00:00Z') + minute * 60_000);
      job.status = { startTime: t, conditions: [{ type, status: 'True', lastTransitionTime: t }], ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }) };
      await h.client.updateStatus(Resources.jobs, job);
    };
    await mk('ok-1', 1, 'Complete');
    await mk('ok-2', 2, 'Complete');
    await mk('ok-3', 3, 'Complete');
    await mk('bad-1', 1, 'Failed');
    await mk('bad-2', 2, 'Failed');
    const names = await waitFor('pruned', async () => {
      const left = (await h.client.list(Resources.jobs, 'default')).items.filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name!).sort();
      return left.length === 2 ? left : undefined;
    });
    assert.deepEqual(names, ['bad-2', 'ok-3']);
  } finally {
    await h.stop();
  }
});

test('most recent schedule time', () => {
  const s = parseSchedule('*/1 * * * *');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const cases: { earliest: number; now: number; want?: number; missed: number }[] = [
    { earliest: t0, now: t0 + 30_000, missed: 0 },
    { earliest: t0, now: t0 + 60_000, want: t0 + 60_000, missed: 1 },
    { earliest: t0, now: t0 + 150_000, want: t0 + 120_000, missed: 2 },
    { earliest: t0, now: t0 + 1000 * 60_000 + 5, want: t0 + 1000 * 60_000, missed: 1000 },
  ];
  for (const c of cases) {
    const got = mostRecentScheduleTime(s, c.earliest, c.now);
    assert.equal(got.mostRecent, c.want);
    assert.equal(got.missed, c.missed);
  }
  // Weekdays only: the estimate from the first interval falls short, the walk still finds Friday.
  const weekdays = parseSchedule('0 9 * * 1-5');
  const fri = Date.parse('2026-01-02T09:00:00Z');
  assert.equal(mostRecentScheduleTime(weekdays, Date.parse('2025-12-31T10:00:00Z'), Date.parse('2026-01-04T12:00:00Z')).mostRecent, fri);
});

test('scheduled timestamp annotation is written in the CronJob time zone', () => {
  const t = Date.parse('2026-07-01T07:00:00Z');
  assert.equal(formatInZone(t, undefined), '2026-07-01T07:00:00Z');
  assert.equal(formatInZone(t, 'Europe/Berlin'), '2026-07-01T09:00:00+02:00');
  assert.equal(formatInZone(t, 'America/New_York'), '2026-07-01T03:00:00-04:00');
});
