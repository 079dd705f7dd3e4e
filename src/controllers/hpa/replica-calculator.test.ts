import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeReplicas } from './replica-calculator.js';
import { normalize } from './behavior.js';

test('utilization above target scales up; within tolerance holds', () => {
  const s = (usage: number) => ({ usage, request: 100, ready: true });
  assert.deepEqual(computeReplicas(2, [s(100), s(100)], 50, true), { replicas: 4, current: 100 });
  assert.equal(computeReplicas(2, [s(52), s(50)], 50, true).replicas, 2);
});

test('normalize respects maxReplicas and the scale-down stabilization window', () => {
  const now = 1_000_000;
  const up = normalize({ current: 2, desired: 10, min: 1, max: 5, recommendations: [], events: [], now });
  assert.equal(up.replicas, 5);
  assert.equal(up.limited?.reason, 'TooManyReplicas');
  const down = normalize({ current: 5, desired: 1, min: 1, max: 10, recommendations: [{ replicas: 5, at: now - 60_000 }], events: [], now });
  assert.equal(down.replicas, 5);
});
