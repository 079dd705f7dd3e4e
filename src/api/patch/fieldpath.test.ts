import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, fromFieldsV1, pathString, toFieldsV1, FieldsV1Error, keyElement } from './fieldpath.js';
import { fieldSetFromObject, compareObjects } from './fieldpath-walk.js';
import { applyTestingRegistry, DEPLOYMENT_DEFINITION } from './apply-testing-registry.js';

const registry = applyTestingRegistry();
const deploymentSchema = registry.definitions()[DEPLOYMENT_DEFINITION];

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
  },
};

test('fieldSetFromObject: golden FieldsV1 for a small Deployment', () => {
  const set = fieldSetFromObject(deployment, deploymentSchema, registry);
  // Selector is atomic; list items carry "."; the port key takes protocol's schema default.
  const golden =
    '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{}},' +
    '"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},' +
    '"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:image":{},"f:name":{},' +
    '"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}';
  assert.equal(JSON.stringify(toFieldsV1(set)), golden);
});

test('fieldSetFromObject: shapes', async (t) => {
  const cases: { name: string; obj: unknown; schema: 'deployment' | 'none'; want: string[] }[] = [
    { name: 'unknown schema: every object key is a member, lists atomic', obj: { spec: { a: { b: 1 }, l: [1, 2] } }, schema: 'none', want: ['.spec', '.spec.a', '.spec.a.b', '.spec.l'] },
    { name: 'empty struct value is a member', obj: { spec: { strategy: {} } }, schema: 'deployment', want: ['.spec.strategy'] },
    { name: 'empty granular list sets nothing', obj: { spec: { template: { spec: { containers: [] } } } }, schema: 'deployment', want: [] },
    { name: 'atomic list is one leaf', obj: { spec: { template: { spec: { tolerations: [{ key: 'a' }] } } } }, schema: 'deployment', want: ['.spec.template.spec.tolerations'] },
    { name: 'atomic map is one leaf', obj: { spec: { template: { spec: { nodeSelector: { a: 'b' } } } } }, schema: 'deployment', want: ['.spec.template.spec.nodeSelector'] },
    { name: 'merge key without list type keys the list', obj: { spec: { template: { spec: { volumes: [{ name: 'v', emptyDir: {} }] } } } }, schema: 'deployment', want: ['.spec.template.spec.volumes[name="v"]', '.spec.template.spec.volumes[name="v"].emptyDir', '.spec.template.spec.volumes[name="v"].name'] },
    { name: 'set items', obj: { metadata: { finalizers: ['a/b'] } }, schema: 'deployment', want: ['.metadata.finalizers[="a/b"]'] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const set = fieldSetFromObject(c.obj, c.schema === 'deployment' ? deploymentSchema : undefined, registry);
      assert.deepEqual(set.paths().map(pathString), c.want);
    });
  }
});

test('FieldsV1 round-trips and parses "." as membership of the parent', () => {
  const wire = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } } } };
  const set = fromFieldsV1(wire);
  assert.ok(set.has(['f:metadata', 'f:labels']));
  assert.ok(set.has(['f:spec', 'f:containers', keyElement({ name: 'c' }), 'f:image']));
  assert.ok(!set.has(['f:metadata']));
  assert.deepEqual(toFieldsV1(set), wire);
});

test('fromFieldsV1 rejects malformed input', () => {
  for (const bad of [[], { 'x:y': {} }, { 'f:a': 1 }, { 'k:notjson': {} }, { '.': {} }]) {
    assert.throws(() => fromFieldsV1(bad), FieldsV1Error, JSON.stringify(bad));
  }
});

test('set operations', () => {
  const a = FieldSet.of(['f:a'], ['f:b', 'f:c'], ['f:b', 'f:d']);
  const b = FieldSet.of(['f:b', 'f:c'], ['f:e']);
  assert.deepEqual(a.union(b).paths().map(pathString), ['.a', '.b.c', '.b.d', '.e']);
  assert.deepEqual(a.difference(b).paths().map(pathString), ['.a', '.b.d']);
  assert.deepEqual(a.intersection(b).paths().map(pathString), ['.b.c']);
  assert.deepEqual(a.recursiveDifference(FieldSet.of(['f:b'])).paths().map(pathString), ['.a']);
  assert.ok(a.union(b).equals(b.union(a)));
});

test('pathString prints keys, values and fields like upstream', () => {
  assert.equal(pathString(['f:spec', keyElement({ protocol: 'TCP', containerPort: 80 }), 'f:name']), '.spec[containerPort=80,protocol="TCP"].name');
});

test('compareObjects: added, modified, removed; list items and maps get their own entries', () => {
  const old = { metadata: { labels: { a: '1' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  const neu = { metadata: { labels: { b: '2' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'd', image: 'x' }] } } } };
  const c = compareObjects(old, neu, deploymentSchema, registry);
  assert.deepEqual(c.modified.paths().map(pathString), ['.spec.replicas']);
  assert.deepEqual(c.added.paths().map(pathString), ['.metadata.labels.b', '.spec.template.spec.containers[name="d"]', '.spec.template.spec.containers[name="d"].image', '.spec.template.spec.containers[name="d"].name']);
  assert.deepEqual(c.removed.paths().map(pathString), ['.metadata.labels.a', '.spec.template.spec.containers[name="c"]', '.spec.template.spec.containers[name="c"].image', '.spec.template.spec.containers[name="c"].name']);
});
