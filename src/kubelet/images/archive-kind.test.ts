import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEntries } from './archive-kind.js';

test('classifyEntries', () => {
  const cases: [string[], string][] = [
    [['oci-layout', 'index.json', 'blobs/', 'blobs/sha256/ab'], 'oci'],
    [['./index.json', './blobs/sha256/ab'], 'oci'],
    [['manifest.json', 'repositories', 'abc/layer.tar'], 'docker'],
    [['./', './bin/', './bin/sh', './etc/passwd'], 'rootfs'],
    [['bin/busybox', 'etc/index.json'], 'rootfs'],
  ];
  for (const [entries, want] of cases) assert.equal(classifyEntries(entries), want, entries.join(','));
});
