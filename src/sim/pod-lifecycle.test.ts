import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPodRun, step } from './pod-lifecycle.js';
import { qosClass } from '../api/pod-qos.js';
import { parseDuration, parseFailSpec } from './annotations.js';

const pod = (restartPolicy: string, annotations: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', annotations },
  spec: { restartPolicy, containers: [{ name: 'c', image: 'img' }], ...extra },
});

test('crash loop: first restart at once, then 10s, 20s back-off', () => {
  const run = newPodRun(pod('Always', { 'sim.skiff.io/fail': 'exit=2' }), 0);
  let r = step(run, 0);
  assert.equal(run.main[0].restartCount, 1);
  assert.equal(run.main[0].waitingReason, 'CrashLoopBackOff');
  assert.equal(run.main[0].last?.exitCode, 2);
  assert.equal(r.nextAt, 10_000);
  r = step(run, 10_000);
  assert.equal(run.main[0].restartCount, 2);
  assert.equal(r.nextAt, 30_000);
  assert.equal(run.phase, 'Running');
});

test('terminal phases per restartPolicy', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['Never', { 'sim.skiff.io/fail': 'exit=1' }, 'Failed'],
    ['Never', { 'sim.skiff.io/complete-after': '5s' }, 'Succeeded'],
    ['OnFailure', { 'sim.skiff.io/complete-after': '5s' }, 'Succeeded'],
    ['Always', { 'sim.skiff.io/complete-after': '5s' }, 'Running'],
    ['Always', {}, 'Running'],
  ];
  for (const [policy, ann, phase] of cases) {
    const run = newPodRun(pod(policy, ann), 0);
    step(run, 5_000);
    assert.equal(run.phase, phase, `${policy} ${JSON.stringify(ann)}`);
  }
});

test('init containers run in order before main containers', () => {
  const run = newPodRun(pod('Always', { 'sim.skiff.io/init-duration': '2s' }, { initContainers: [{ name: 'i1' }, { name: 'i2' }] }), 0);
  step(run, 0);
  assert.equal(run.init[0].state, 'running');
  assert.equal(run.init[1].state, 'waiting');
  assert.equal(run.phase, 'Pending');
  step(run, 2_000);
  assert.equal(run.init[0].state, 'terminated');
  assert.equal(run.init[1].state, 'running');
  step(run, 4_000);
  assert.equal(run.main[0].state, 'running');
  assert.equal(run.main[0].startedAt, 4_000);
  assert.equal(run.phase, 'Running');
});

test('readinessProbe initialDelaySeconds delays readiness', () => {
  const p = pod('Always');
  (p.spec.containers[0] as Record<string, unknown>).readinessProbe = { initialDelaySeconds: 7 };
  const run = newPodRun(p, 0);
  assert.equal(step(run, 0).nextAt, 7_000);
  assert.equal(run.main[0].ready, false);
  step(run, 7_000);
  assert.equal(run.main[0].ready, true);
});

test('qosClass', () => {
  const c = (requests?: Record<string, string>, limits?: Record<string, string>) => ({ resources: { requests, limits } });
  assert.equal(qosClass({ containers: [c()] }), 'BestEffort');
  assert.equal(qosClass({ containers: [c({ cpu: '100m' })] }), 'Burstable');
  assert.equal(qosClass({ containers: [c({ cpu: '1', memory: '1Gi' }, { cpu: '1000m', memory: '1Gi' })] }), 'Guaranteed');
  assert.equal(qosClass({ containers: [c({ cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '1Gi' })] }), 'Burstable');
});

test('annotation parsing', () => {
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('5'), 5_000);
  assert.equal(parseDuration('x'), undefined);
  assert.deepEqual(parseFailSpec('exit=3,after=2s,container=web'), { exitCode: 3, afterMs: 2000, container: 'web' });
});
