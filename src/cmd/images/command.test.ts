import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatImages, parseCmd } from './command.js';

test('parseCmd', () => {
  assert.deepEqual(parseCmd(undefined, ['httpd', '-f']), ['httpd', '-f']);
  assert.deepEqual(parseCmd('["sh","-c","echo a b"]', []), ['sh', '-c', 'echo a b']);
  assert.deepEqual(parseCmd(' httpd -f  -p 8080', []), ['httpd', '-f', '-p', '8080']);
  assert.equal(parseCmd(undefined, []), undefined);
  assert.throws(() => parseCmd('[1]', []));
});

test('formatImages prints one row per tag like crictl images', () => {
  const out = formatImages([
    {
      id: 'sha256:b5b144fcd10830b32651536d8a9cca01bf1eb5fef95c973b928c8b97f81c3d8d',
      repo_tags: ['docker.io/library/busybox:latest', 'reg.local:5000/bb:v1'],
      repo_digests: [],
      size: '1057275',
      uid: null,
      username: '',
      spec: null,
      pinned: false,
    },
  ]);
  assert.deepEqual(out.split('\n').map((l) => l.trimEnd()), [
    'IMAGE                       TAG      IMAGE ID        SIZE',
    'docker.io/library/busybox   latest   b5b144fcd1083   1.1MB',
    'reg.local:5000/bb           v1       b5b144fcd1083   1.1MB',
    '',
  ]);
});
