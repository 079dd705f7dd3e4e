import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus } from '../cri/types.js';
import type { Pod } from '../pods/pod-types.js';
import { containerStatusJSON, podPhase, renderPodStatus, type ContainerView, type PodView } from './pod-status.js';

const cs = (state: ContainerStatus['state'], exit = 0, attempt = 0): ContainerStatus => ({
  id: 'a'.repeat(64),
  metadata: { name: 'c', attempt },
  state,
  created_at: '1000000000',
  started_at: '2000000000',
  finished_at: state === 'CONTAINER_EXITED' ? '3000000000' : '0',
  exit_code: exit,
  image: { image: 'sha256:x', user_specified_image: 'busybox' },
  image_ref: 'sha256:x',
  reason: '',
  message: '',
  labels: {},
  annotations: {},
  mounts: [],
  log_path: '',
  resources: null,
});
const pod = (restartPolicy: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd', uid: 'u' }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } });
const view = (main: ContainerView[]): PodView => ({ init: [], main, podIPs: ['10.0.0.2'], hostIP: '1.2.3.4', startTime: 0, sandboxReady: true, transitions: new Map(), now: 5000 });

test('phase follows upstream getPhase', () => {
  const cases: [string, ContainerView, string][] = [
    ['Always', { name: 'c', image: 'b', ready: false }, 'Pending'],
    ['Always', { name: 'c', image: 'b', latest: cs('CONTAINER_RUNNING'), ready: true }, 'Running'],
    ['Never', { name: 'c', image: 'b', latest: cs('CONTAINER_EXITED', 0), ready: false }, 'Succeeded'],
    ['Never', { name: 'c', image: 'b', latest: cs('CONTAINER_EXITED', 1), ready: false }, 'Failed'],
    ['OnFailure', { name: 'c', image: 'b', latest: cs('CONTAINER_EXITED', 1), ready: false }, 'Running'],
    ['Always', { name: 'c', image: 'b', latest: cs('CONTAINER_EXITED', 1, 2), waiting: { reason: 'CrashLoopBackOff' }, ready: false }, 'Running'],
    ['Always', { name: 'c', image: 'b', waiting: { reason: 'ErrImagePull' }, ready: false }, 'Pending'],
  ];
  for (const [policy, v, want] of cases) assert.equal(podPhase(pod(policy), view([v])), want, `${policy} ${JSON.stringify(v.waiting ?? v.latest?.state)}`);
});

test('container status: crash loop shows waiting, the last exit and the restart count', () => {
  const s = containerStatusJSON({ name: 'c', image: 'busybox', latest: cs('CONTAINER_EXITED', 1, 3), waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' }, ready: false });
  assert.deepEqual(s.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } });
  assert.equal((s.lastState as { terminated: { reason: string; exitCode: number } }).terminated.reason, 'Error');
  assert.equal(s.restartCount, 3);
  assert.equal(s.containerID, `containerd://${'a'.repeat(64)}`);
  assert.equal(s.image, 'busybox');
  const done = containerStatusJSON({ name: 'c', image: 'busybox', latest: cs('CONTAINER_EXITED', 0), ready: false });
  assert.equal((done.state as { terminated: { reason: string } }).terminated.reason, 'Completed');
});

test('conditions: Ready with a transition time that stays while the status stays', () => {
  const v = view([{ name: 'c', image: 'b', latest: cs('CONTAINER_RUNNING'), ready: true }]);
  const first = renderPodStatus(pod('Always'), v);
  const ready = (first.conditions as { type: string; status: string; lastTransitionTime: string }[]).find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'True');
  v.now = 99_000;
  const again = renderPodStatus(pod('Always'), v);
  const ready2 = (again.conditions as { type: string; lastTransitionTime: string }[]).find((c) => c.type === 'Ready')!;
  assert.equal(ready2.lastTransitionTime, ready.lastTransitionTime);
  assert.equal(first.podIP, '10.0.0.2');
  assert.equal(first.qosClass, 'BestEffort');
});
