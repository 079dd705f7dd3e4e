import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  controllerRevisionName,
  equalRevision,
  newControllerRevision,
  nextRevisionNumber,
  sortRevisions,
  templatePatch,
  type ControllerRevision,
} from './controller-revision.js';
import { fnv1_32, hashRevisionData, safeEncodeString } from './revision-hash.js';

const ds = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'fluentd', namespace: 'kube-system', uid: 'u-1', annotations: { 'kubernetes.io/change-cause': 'x' } },
  spec: { template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'c', image: 'fluentd:1' }] } } },
};

test('template patch is the strategic merge patch rollout undo sends', () => {
  assert.deepEqual(templatePatch(ds), {
    spec: { template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'c', image: 'fluentd:1' }] }, $patch: 'replace' } },
  });
});

test('hash is deterministic, vowel-free, and moved by the collision count', () => {
  const data = templatePatch(ds);
  const h = hashRevisionData(data, 0);
  assert.equal(h, hashRevisionData(data, 0));
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.notEqual(h, hashRevisionData(data, 1));
  assert.equal(safeEncodeString('019'), '45f');
  // Published FNV-1 32-bit test vectors.
  assert.equal(fnv1_32(new Uint8Array()), 0x811c9dc5);
  assert.equal(fnv1_32(new TextEncoder().encode('a')), 0x050c5d7e);
});

test('new revision: name, hash label, owner ref, annotations, data', () => {
  const data = templatePatch(ds);
  const cr = newControllerRevision({ owner: ds, ownerApiVersion: 'apps/v1', ownerKind: 'DaemonSet', hashLabel: 'controller-revision-hash', data, revision: 3 });
  const hash = hashRevisionData(data, undefined);
  assert.equal(cr.metadata.name, `fluentd-${hash}`);
  assert.deepEqual(cr.metadata.labels, { app: 'fluentd', 'controller-revision-hash': hash });
  assert.deepEqual(cr.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u-1', controller: true, blockOwnerDeletion: true }]);
  assert.equal(cr.metadata.annotations?.['kubernetes.io/change-cause'], 'x');
  assert.equal(cr.revision, 3);
  assert.deepEqual(cr.data, data);
});

test('revision names truncate long owner names', () => {
  assert.equal(controllerRevisionName('a'.repeat(300), 'h').length, 225);
});

test('equality by data, ordering and next number', () => {
  const mk = (name: string, revision: number, image: string): ControllerRevision => ({ metadata: { name }, revision, data: { spec: { template: { image } } } });
  const a = mk('a', 2, 'x');
  const b = mk('b', 1, 'y');
  const c = mk('c', 3, 'x');
  assert.ok(equalRevision(a, c));
  assert.ok(!equalRevision(a, b));
  assert.deepEqual(sortRevisions([a, b, c]).map((r) => r.metadata.name), ['b', 'a', 'c']);
  assert.equal(nextRevisionNumber([a, b, c]), 4);
  assert.equal(nextRevisionNumber([]), 1);
});
