import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as tick } from 'node:timers/promises';
import { FakeClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig } from '../types.js';
import { TTLAfterFinishedController, timeLeft } from './ttl-after-finished-controller.js';

test('timeLeft', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  const done = (ttl: number | undefined, type = 'Complete') => ({
    metadata: { name: 'j' },
    spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
    status: { conditions: [{ type, status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  });
  assert.equal(timeLeft(done(100), now), 40_000);
  assert.equal(timeLeft(done(0, 'Failed'), now), -60_000);
  assert.equal(timeLeft(done(undefined), now), undefined);
  assert.equal(timeLeft({ metadata: {}, spec: { ttlSecondsAfterFinished: 5 }, status: {} }, now), undefined);
});

test('a finished Job is deleted once its TTL passes', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const cp = await startControlPlane({ clock });
  const client = cp.client('ttl-after-finished-controller');
  const informers = cp.informers(client);
  const ctrl = new TTLAfterFinishedController({ client, informers, clock, log: silentLogger, recorder: (c) => new EventRecorder(client, clock, silentLogger, c), config: defaultControllerConfig });
  const ac = new AbortController();
  informers.start(ac.signal);
  const done = ctrl.run(ac.signal);
  try {
    const job = await client.create(Resources.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'short', namespace: 'default' },
      spec: { ttlSecondsAfterFinished: 30, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const now = rfc3339(clock.now());
    job.status = { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: now }] };
    await client.updateStatus(Resources.jobs, job);
    const gone = async () => {
      try {
        const j = await client.get(Resources.jobs, 'default', 'short');
        return !!j.metadata.deletionTimestamp;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    };
    // Give the controller time to see the finished job, then stop short of the TTL.
    for (let i = 0; i < 20; i++) await tick(5);
    clock.advance(29_000);
    for (let i = 0; i < 20; i++) await tick(5);
    assert.equal(await gone(), false, 'still there before the TTL');
    clock.advance(1_500);
    let deleted = false;
    for (let i = 0; i < 500 && !deleted; i++) {
      deleted = await gone();
      if (!deleted) await tick(5);
    }
    assert.ok(deleted, 'deleted after the TTL');
  } finally {
    ac.abort();
    await done;
    await cp.close();
  }
});
