import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { WorkQueue } from './workqueue.js';

test('dedupes keys that are waiting', async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.length, 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
});

test('a key is not handed out twice while processing, and re-added after done', async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  q.add('a');
  const k = await q.get();
  q.add('a');
  assert.equal(q.length, 0, 'a is processing: it waits in dirty, not in the queue');
  q.done(k!);
  assert.equal(q.length, 1);
  assert.equal(await q.get(), 'a');
});

test('rate-limited retries back off exponentially per key and forget resets', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue({ clock, baseDelayMs: 10 });
  q.addRateLimited('a');
  q.addRateLimited('a');
  assert.equal(q.numRequeues('a'), 2);
  clock.advance(9);
  assert.equal(q.length, 0);
  clock.advance(1);
  assert.equal(q.length, 1, 'the earlier of the two delayed adds (10 ms) wins');
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
});

test('shutDown wakes waiting workers with undefined', async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  const waiting = q.get();
  q.shutDown();
  assert.equal(await waiting, undefined);
  q.add('x');
  assert.equal(q.length, 0);
});
