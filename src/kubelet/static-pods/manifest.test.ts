import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_HASH, CONFIG_SOURCE, ManifestError, staticPodFromManifest } from './manifest.js';

const yaml = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\nspec:\n  containers:\n  - name: etcd\n    image: ${image}\n`;

test('static pod defaults and hash', () => {
  const a = staticPodFromManifest(yaml('busybox'), '/m/etcd.yaml', 'node1', '2026-01-01T00:00:00Z');
  assert.equal(a.metadata.name, 'etcd-node1');
  assert.equal(a.metadata.namespace, 'default');
  assert.equal(a.spec.nodeName, 'node1');
  assert.match(a.metadata.uid!, /^[0-9a-f]{32}$/);
  assert.equal(a.metadata.annotations![CONFIG_HASH], a.metadata.uid);
  assert.equal(a.metadata.annotations![CONFIG_SOURCE], 'file');
  const same = staticPodFromManifest(yaml('busybox'), '/m/etcd.yaml', 'node1', '2026-01-02T00:00:00Z');
  assert.equal(same.metadata.uid, a.metadata.uid, 'seen time does not change the hash');
  const changed = staticPodFromManifest(yaml('busybox:2'), '/m/etcd.yaml', 'node1', '2026-01-01T00:00:00Z');
  assert.notEqual(changed.metadata.uid, a.metadata.uid);
  const json = staticPodFromManifest(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'kube-system' }, spec: { containers: [{ name: 'c' }] } }), '/m/x.json', 'n', 's');
  assert.equal(json.metadata.name, 'x-n');
  assert.equal(json.metadata.namespace, 'kube-system');
});

test('bad manifests', () => {
  for (const text of ['kind: Deployment\nmetadata: {name: x}', 'kind: Pod\nspec: {containers: [{name: c}]}', 'kind: Pod\nmetadata: {name: x}\nspec: {}', ': : :\n - [']) {
    assert.throws(() => staticPodFromManifest(text, 'f', 'n', 's'), ManifestError, text);
  }
});
