import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { FieldSet } from './fieldpath.js';
import { applyTestingRegistry, DEPLOYMENT_DEFINITION } from './apply-testing-registry.js';
import { decodeManagedFields, encodeManagedFields, formatTime, updateManagedFields, MAX_UPDATE_MANAGERS } from './managed-fields.js';

const registry = applyTestingRegistry();
const schema = registry.definitions()[DEPLOYMENT_DEFINITION];
const T0 = Date.UTC(2024, 0, 1, 0, 0, 0, 500);
const T1 = Date.UTC(2024, 0, 1, 0, 1, 0);

function deployment(replicas = 1, image = 'nginx'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

const update = (old: KubeObject | undefined, obj: KubeObject, manager: string, now = T0, extra: { subresource?: string; ignoredFields?: FieldSet } = {}) =>
  updateManagedFields({ old, obj, manager, apiVersion: 'apps/v1', now, schema, registry, ...extra });

test('create records an Update entry like kubectl create shows it', () => {
  const out = update(undefined, deployment(), 'kubectl-create');
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      },
    },
  ]);
});

test('an update moves ownership of changed fields and drops emptied managers', () => {
  const created = update(undefined, deployment(), 'kubectl-create');
  const scaled = update(created, { ...deployment(3), metadata: { ...created.metadata } }, 'kubectl-scale', T1);
  const entries = decodeManagedFields(scaled.metadata.managedFields);
  const byName = new Map([...entries.values()].map((e) => [e.manager, e]));
  assert.ok(byName.get('kubectl-scale')!.fields.has(['f:spec', 'f:replicas']));
  assert.ok(!byName.get('kubectl-create')!.fields.has(['f:spec', 'f:replicas']));
  assert.equal(byName.get('kubectl-scale')!.time, '2024-01-01T00:01:00Z');

  // kubectl-scale sets replicas back: nothing else changes, it keeps only replicas.
  const edited = update(scaled, { ...deployment(3, 'httpd'), metadata: { ...scaled.metadata } }, 'kubectl-edit', T1);
  const again = decodeManagedFields(edited.metadata.managedFields);
  const edit = [...again.values()].find((e) => e.manager === 'kubectl-edit')!;
  assert.deepEqual(edit.fields.paths().map((p) => p.join('/')), ['f:spec/f:template/f:spec/f:containers/k:{"name":"c"}/f:image']);
});

test('a manager left with nothing is dropped; removal takes fields from their owner', () => {
  const created = update(undefined, deployment(), 'creator');
  const scaled = update(created, { ...deployment(5), metadata: { ...created.metadata } }, 'scaler', T1);
  const noReplicas = deployment(5);
  delete (noReplicas.spec as Record<string, unknown>).replicas;
  const out = update(scaled, { ...noReplicas, metadata: { ...scaled.metadata } }, 'creator', T1);
  assert.deepEqual(out.metadata.managedFields!.map((e) => e.manager), ['creator']);
});

test('an update that changes nothing keeps the entries and their times', () => {
  const created = update(undefined, deployment(), 'kubectl-create');
  const same = update(created, { ...deployment(), metadata: { ...created.metadata } }, 'other', T1);
  assert.deepEqual(same.metadata.managedFields, created.metadata.managedFields);
});

test('managedFields sent by the client', async (t) => {
  const created = update(undefined, deployment(), 'kubectl-create');
  await t.test('[] resets them; the object is then untracked', () => {
    const out = update(created, { ...deployment(2), metadata: { ...created.metadata, managedFields: [] } }, 'x', T1);
    assert.equal(out.metadata.managedFields, undefined);
  });
  await t.test('a valid list replaces the live one', () => {
    const mine = [{ manager: 'someone', operation: 'Update' as const, apiVersion: 'apps/v1', time: '2023-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:paused': {} } } }];
    const out = update(created, { ...deployment(), metadata: { ...created.metadata, managedFields: mine } }, 'x', T1);
    assert.deepEqual(out.metadata.managedFields, mine);
  });
  await t.test('an invalid list falls back to the live one', () => {
    const bad = [{ manager: 'someone', operation: 'Update' as const, fieldsType: 'FieldsV2' }];
    const out = update(created, { ...deployment(), metadata: { ...created.metadata, managedFields: bad } }, 'x', T1);
    assert.deepEqual(out.metadata.managedFields, created.metadata.managedFields);
  });
  await t.test('a subresource write ignores them', () => {
    const mine = [{ manager: 'someone', operation: 'Update' as const, apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }];
    const obj = { ...deployment(), status: { replicas: 1 }, metadata: { ...created.metadata, managedFields: mine } };
    const out = update(created, obj, 'kube-controller-manager', T1, { subresource: 'status', ignoredFields: FieldSet.of(['f:spec'], ['f:metadata']) });
    assert.deepEqual(
      out.metadata.managedFields!.map((e) => [e.manager, e.subresource, e.fieldsV1]),
      [
        ['kubectl-create', undefined, created.metadata.managedFields![0]!.fieldsV1],
        ['kube-controller-manager', 'status', { 'f:status': { '.': {}, 'f:replicas': {} } }],
      ],
    );
  });
});

test('an existing object without managedFields stays untracked on update', () => {
  const live = deployment();
  const out = update(live, deployment(4), 'x');
  assert.equal(out.metadata.managedFields, undefined);
});

test('ignored fields (status on the main resource) are never owned', () => {
  const obj = { ...deployment(), status: { replicas: 3 } };
  const out = update(undefined, obj, 'creator', T0, { ignoredFields: FieldSet.of(['f:status']) });
  assert.equal('f:status' in (out.metadata.managedFields![0]!.fieldsV1 as object), false);
});

test(`more than ${MAX_UPDATE_MANAGERS} Update managers: the oldest merge into ancient-changes`, () => {
  let obj = update(undefined, deployment(), 'm0');
  for (let i = 1; i <= MAX_UPDATE_MANAGERS; i++) {
    obj = update(obj, { ...deployment(), metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, [`l${i}`]: 'x' } } }, `m${i}`, T0 + i * 1000);
  }
  const managers = obj.metadata.managedFields!.map((e) => e.manager);
  assert.equal(managers.length, MAX_UPDATE_MANAGERS);
  assert.ok(managers.includes('ancient-changes'));
  assert.ok(!managers.includes('m0') && !managers.includes('m1'));
  const ancient = obj.metadata.managedFields!.find((e) => e.manager === 'ancient-changes')!;
  assert.ok(JSON.stringify(ancient.fieldsV1).includes('f:l1'));
  assert.ok(JSON.stringify(ancient.fieldsV1).includes('f:replicas'));
});

test('encode orders Apply before Update, then by time, then by manager', () => {
  const entries = [
    { manager: 'b', operation: 'Update' as const, apiVersion: 'v1', time: '2024-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } },
    { manager: 'a', operation: 'Update' as const, apiVersion: 'v1', time: '2024-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } },
    { manager: 'z', operation: 'Update' as const, apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } },
    { manager: 'y', operation: 'Apply' as const, apiVersion: 'v1', time: '2024-01-01T00:00:09Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } },
  ];
  assert.deepEqual(encodeManagedFields(decodeManagedFields(entries)).map((e) => e.manager), ['y', 'z', 'a', 'b']);
  assert.equal(formatTime(T0), '2024-01-01T00:00:00Z');
});
