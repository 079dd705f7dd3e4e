import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { podConstraintError, podMatchesScope, prettyPrint } from './quota-evaluation.js';

const pod = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p' }, spec });

test('pods must state constrained cpu and memory per container', () => {
  const p = pod({ containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }, { name: 'b' }] });
  assert.equal(podConstraintError(p, ['requests.cpu', 'limits.memory', 'pods']), 'must specify limits.memory for: a,b; requests.cpu for: b');
  assert.equal(podConstraintError(p, ['pods', 'count/pods']), undefined);
});

test('quota scopes select pods', () => {
  const best = pod({ containers: [{ name: 'a' }] });
  const terminating = pod({ activeDeadlineSeconds: 10, containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] });
  const table: [KubeObject, string, boolean][] = [
    [best, 'BestEffort', true],
    [best, 'NotBestEffort', false],
    [best, 'Terminating', false],
    [terminating, 'Terminating', true],
    [terminating, 'NotTerminating', false],
    [terminating, 'NotBestEffort', true],
  ];
  for (const [p, scope, want] of table) assert.equal(podMatchesScope(p, { scopeName: scope, operator: 'Exists' }), want, scope);
});

test('resource lists print like upstream', () => {
  assert.equal(prettyPrint(new Map([['pods', '3'], ['cpu', '500m']])), 'cpu=500m,pods=3');
});
