import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { PodInfo } from '../framework/pod-info.js';
import type { Pod } from '../framework/api-types.js';
import { SchedulingQueue } from './scheduling-queue.js';

function pod(name: string, priority = 0): PodInfo {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [], priority } };
  return new PodInfo(p);
}

function newQueue(clock: FakeClock) {
  return new SchedulingQueue({
    clock,
    events: new Map([
      ['NodeResourcesFit', [{ resource: 'Node', actions: ['Add', 'Update'] }, { resource: 'Pod', actions: ['Delete'] }]],
      ['VolumeBinding', [{ resource: 'PersistentVolumeClaim', actions: ['Add'] }]],
    ]),
  });
}

test('activeQ pops by priority, then by arrival', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(pod('a', 0));
  clock.advance(1);
  q.add(pod('b', 10));
  clock.advance(1);
  q.add(pod('c', 0));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.info.pod.metadata.name);
  assert.deepEqual(order, ['b', 'a', 'c']);
  q.close();
});

test('unschedulable pods wait for a relevant event, then their backoff', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(pod('a'));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qp, q.cycle);
  assert.deepEqual(q.lengths(), { active: 0, backoff: 0, unschedulable: 1 });

  q.moveAllToActiveOrBackoffQueue({ resource: 'PersistentVolumeClaim', action: 'Add' });
  assert.equal(q.lengths().unschedulable, 1, 'an event no rejecting plugin cares about leaves it parked');

  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: 'Add' });
  assert.deepEqual(q.lengths(), { active: 0, backoff: 1, unschedulable: 0 }, 'still backing off after 1 attempt');
  clock.advance(999);
  assert.equal(q.lengths().backoff, 1);
  clock.advance(1);
  assert.deepEqual(q.lengths(), { active: 1, backoff: 0, unschedulable: 0 }, '1 s backoff after the first attempt');
  q.close();
});

test('backoff doubles per attempt up to 10 s', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(pod('a'));
  const want = [1000, 2000, 4000, 8000, 10000, 10000];
  for (const ms of want) {
    const qp = (await q.pop())!;
    qp.unschedulablePlugins = new Set();
    q.addUnschedulableIfNotPresent(qp, q.cycle);
    assert.equal(q.backoffExpiry(qp) - clock.now(), ms);
    clock.advance(ms);
    assert.equal(q.lengths().active, 1);
  }
  q.close();
});

test('a move request during the attempt sends the pod to backoff instead of parking it', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(pod('a'));
  const qp = (await q.pop())!;
  const cycle = q.cycle;
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: 'Add' });
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qp, cycle);
  assert.deepEqual(q.lengths(), { active: 0, backoff: 1, unschedulable: 0 });
  q.close();
});

test('parked pods are retried after 5 minutes without any event', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(pod('a'));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['VolumeBinding']);
  q.addUnschedulableIfNotPresent(qp, q.cycle);
  clock.advance(4 * 60_000);
  assert.equal(q.lengths().unschedulable, 1);
  clock.advance(60_000 + 30_000);
  assert.deepEqual(q.lengths(), { active: 1, backoff: 0, unschedulable: 0 });
  q.close();
});

test('pop waits for a pod and close releases waiters', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  const waiting = q.pop();
  q.add(pod('late'));
  assert.equal((await waiting)!.info.pod.metadata.name, 'late');
  const again = q.pop();
  q.close();
  assert.equal(await again, undefined);
});
