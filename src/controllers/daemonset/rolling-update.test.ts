import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { desiredCounts, planRollingUpdate } from './rolling-update.js';

const pod = (name: string, hash: string, available: boolean): KubeObject => ({
  metadata: { name, labels: { 'controller-revision-hash': hash }, annotations: { available: String(available) } },
});
const isAvailable = (p: KubeObject) => p.metadata.annotations?.available === 'true';

test('desired counts: ints, percentages rounded up, both zero means one', () => {
  assert.deepEqual(desiredCounts(undefined, 10), { maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(desiredCounts({ maxUnavailable: '25%' }, 10), { maxSurge: 0, maxUnavailable: 3 });
  assert.deepEqual(desiredCounts({ maxUnavailable: 0, maxSurge: '10%' }, 5), { maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(desiredCounts({ maxUnavailable: 0, maxSurge: 0 }, 5), { maxSurge: 0, maxUnavailable: 1 });
});

test('rolling update plans', () => {
  const cases: { name: string; nodes: Record<string, KubeObject[]>; maxSurge: number; maxUnavailable: number; del: string[]; create: string[] }[] = [
    { name: 'one at a time', nodes: { a: [pod('a-old', 'old', true)], b: [pod('b-old', 'old', true)] }, maxSurge: 0, maxUnavailable: 1, del: ['a-old'], create: [] },
    { name: 'two at a time', nodes: { a: [pod('a-old', 'old', true)], b: [pod('b-old', 'old', true)], c: [pod('c-old', 'old', true)] }, maxSurge: 0, maxUnavailable: 2, del: ['a-old', 'b-old'], create: [] },
    { name: 'waits while a new pod is unavailable', nodes: { a: [pod('a-new', 'new', false)], b: [pod('b-old', 'old', true)] }, maxSurge: 0, maxUnavailable: 1, del: [], create: [] },
    { name: 'unavailable old pods go regardless', nodes: { a: [pod('a-new', 'new', false)], b: [pod('b-old', 'old', false)] }, maxSurge: 0, maxUnavailable: 1, del: ['b-old'], create: [] },
    { name: 'done', nodes: { a: [pod('a-new', 'new', true)] }, maxSurge: 0, maxUnavailable: 1, del: [], create: [] },
    { name: 'surge starts a new pod beside the old', nodes: { a: [pod('a-old', 'old', true)], b: [pod('b-old', 'old', true)] }, maxSurge: 1, maxUnavailable: 0, del: [], create: ['a'] },
    { name: 'surge: old goes once new is available', nodes: { a: [pod('a-old', 'old', true), pod('a-new', 'new', true)], b: [pod('b-old', 'old', true)] }, maxSurge: 1, maxUnavailable: 0, del: ['a-old'], create: ['b'] },
    { name: 'surge: waits for new pod', nodes: { a: [pod('a-old', 'old', true), pod('a-new', 'new', false)], b: [pod('b-old', 'old', true)] }, maxSurge: 1, maxUnavailable: 0, del: [], create: [] },
  ];
  for (const c of cases) {
    const plan = planRollingUpdate({ nodeToPods: new Map(Object.entries(c.nodes)), hash: 'new', maxSurge: c.maxSurge, maxUnavailable: c.maxUnavailable, isAvailable });
    assert.deepEqual(plan.deletePods.map((p) => p.metadata.name), c.del, c.name);
    assert.deepEqual(plan.createOnNodes, c.create, c.name);
  }
});
