import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersionPriority } from './version-priority.js';

test('Kubernetes versions sort GA, beta, alpha, then the rest', () => {
  const versions = ['v1alpha1', 'foo', 'v1beta1', 'v11alpha2', 'v2', 'v1', 'v1beta2', 'v12alpha1', 'bar'];
  assert.deepEqual(versions.sort(compareVersionPriority), ['v2', 'v1', 'v1beta2', 'v1beta1', 'v12alpha1', 'v11alpha2', 'v1alpha1', 'bar', 'foo']);
});
