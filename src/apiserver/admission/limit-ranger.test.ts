import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { applyPodDefaults, LIMIT_RANGER_ANNOTATION, podViolations, pvcViolations, type LimitRangeItem } from './limit-ranger.js';

const pod = (containers: unknown[]): KubeObject => ({ metadata: { name: 'p' }, spec: { containers } });

test('container defaults fill missing requests and limits and are noted', () => {
  const p = pod([{ name: 'c', resources: { limits: { memory: '1Gi' } } }]);
  applyPodDefaults(p, [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m' } }]);
  const res = (p.spec as { containers: { resources: unknown }[] }).containers[0].resources;
  assert.deepEqual(res, { limits: { memory: '1Gi', cpu: '500m' }, requests: { cpu: '100m', memory: '512Mi' } });
  assert.equal(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION], 'LimitRanger plugin set: cpu, memory request for container c; cpu limit for container c');
});

test('min, max and ratio constraints use upstream wording', () => {
  const items: LimitRangeItem[] = [{ type: 'Container', min: { cpu: '100m' }, max: { memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } }];
  const table: [unknown, string[]][] = [
    [{ name: 'c', resources: { requests: { cpu: '50m' }, limits: { cpu: '100m', memory: '1Gi' } } }, ['minimum cpu usage per Container is 100m, but request is 50m']],
    [{ name: 'c', resources: { requests: { cpu: '200m' }, limits: { cpu: '1', memory: '2Gi' } } }, ['maximum memory usage per Container is 1Gi, but limit is 2Gi', 'cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000']],
    [{ name: 'c', resources: { requests: { cpu: '200m' } } }, ['maximum memory usage per Container is 1Gi.  No limit is specified', 'cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0']],
  ];
  for (const [c, want] of table) assert.deepEqual(podViolations(pod([c]), items), want);
});

test('PersistentVolumeClaim storage bounds', () => {
  const pvc: KubeObject = { metadata: { name: 'v' }, spec: { resources: { requests: { storage: '10Gi' } } } };
  assert.deepEqual(pvcViolations(pvc, [{ type: 'PersistentVolumeClaim', max: { storage: '5Gi' } }]), ['maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi']);
});
