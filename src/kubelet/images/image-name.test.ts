import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageTag, normalizeImageName } from './image-name.js';

test('normalizeImageName follows docker reference rules', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['me/app', 'docker.io/me/app:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['localhost/app', 'localhost/app:latest'],
    ['reg.local:5000/team/app', 'reg.local:5000/team/app:latest'],
    ['reg.local:5000/app:v2', 'reg.local:5000/app:v2'],
    ['skiff.local/pause:1', 'skiff.local/pause:1'],
    ['app@sha256:abcd', 'docker.io/library/app@sha256:abcd'],
  ];
  for (const [input, want] of cases) assert.equal(normalizeImageName(input), want, input);
});

test('imageTag', () => {
  assert.equal(imageTag('docker.io/library/busybox:1.36'), '1.36');
  assert.equal(imageTag('reg.local:5000/app'), 'latest');
  assert.equal(imageTag('reg.local:5000/app@sha256:ab'), 'latest');
});
