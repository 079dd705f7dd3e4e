import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from './index.js';
import { ResourceTable, newBuiltinResourceTable, type ResourceTableChange } from './table.js';
import { row } from './row.js';

test('every built-in row is well formed', () => {
  const rows = builtinResources();
  const plurals = new Set<string>();
  const kinds = new Set<string>();
  const shortNames = new Map<string, string>();
  for (const rt of rows) {
    const gv = `${rt.group}/${rt.version}`;
    assert.ok(!plurals.has(`${gv}/${rt.plural}`), `duplicate plural ${gv}/${rt.plural}`);
    plurals.add(`${gv}/${rt.plural}`);
    assert.ok(!kinds.has(`${gv}/${rt.kind}`), `duplicate kind ${gv}/${rt.kind}`);
    kinds.add(`${gv}/${rt.kind}`);
    assert.match(rt.plural, /^[a-z]+$/);
    assert.equal(rt.listKind, `${rt.kind}List`);
    assert.ok(rt.verbs.length > 0);
    for (const s of rt.shortNames) {
      const owner = shortNames.get(s);
      // A short name belongs to one resource; it may repeat across that resource's versions, and
      // upstream serves `ev` for both core/v1 and events.k8s.io/v1 events.
      assert.ok(owner === undefined || owner === rt.plural, `short name ${s} reused`);
      shortNames.set(s, rt.plural);
    }
    const subNames = rt.subresources.map((s) => s.name);
    assert.equal(new Set(subNames).size, subNames.length, `${rt.plural} subresources unique`);
    for (const s of rt.subresources) if (s.name === 'status') assert.equal(s.kind, rt.kind);
  }
});

test('discovery data matches upstream for the resources kubectl leans on', () => {
  const rows = builtinResources();
  const find = (group: string, plural: string) => rows.find((r) => r.group === group && r.plural === plural)!;
  const cases: [string, string, string[], boolean, string[]][] = [
    ['', 'pods', ['po'], true, ['all']],
    ['', 'services', ['svc'], true, ['all']],
    ['', 'namespaces', ['ns'], false, []],
    ['', 'nodes', ['no'], false, []],
    ['', 'persistentvolumeclaims', ['pvc'], true, []],
    ['', 'replicationcontrollers', ['rc'], true, ['all']],
    ['', 'resourcequotas', ['quota'], true, []],
    ['', 'limitranges', ['limits'], true, []],
    ['apps', 'deployments', ['deploy'], true, ['all']],
    ['apps', 'statefulsets', ['sts'], true, ['all']],
    ['batch', 'cronjobs', ['cj'], true, ['all']],
    ['batch', 'jobs', [], true, ['all']],
    ['networking.k8s.io', 'networkpolicies', ['netpol'], true, []],
    ['apiextensions.k8s.io', 'customresourcedefinitions', ['crd', 'crds'], false, ['api-extensions']],
    ['scheduling.k8s.io', 'priorityclasses', ['pc'], false, []],
    ['certificates.k8s.io', 'certificatesigningrequests', ['csr'], false, []],
  ];
  for (const [group, plural, shortNames, namespaced, categories] of cases) {
    const rt = find(group, plural);
    assert.ok(rt, plural);
    assert.deepEqual(rt.shortNames, shortNames, plural);
    assert.equal(rt.namespaced, namespaced, plural);
    assert.deepEqual(rt.categories, categories, plural);
  }
  const scale = find('apps', 'deployments').subresources.find((s) => s.name === 'scale');
  assert.deepEqual(scale, { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  const eviction = find('', 'pods').subresources.find((s) => s.name === 'eviction');
  assert.deepEqual([eviction?.group, eviction?.version, eviction?.kind], ['policy', 'v1', 'Eviction']);
  assert.deepEqual(find('', 'bindings').verbs, ['create']);
  assert.equal(find('', 'endpoints').singular, 'endpoints');
  assert.ok(!find('', 'namespaces').verbs.includes('deletecollection'));
});

test('field selectors render values the way upstream does', () => {
  const pods = builtinResources().find((r) => r.plural === 'pods' && r.group === '')!;
  const pod = { metadata: { name: 'p' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  assert.equal(pods.fieldSelectors!['spec.nodeName']!(pod), 'n1');
  assert.equal(pods.fieldSelectors!['spec.hostNetwork']!(pod), 'false');
  assert.equal(pods.fieldSelectors!['status.phase']!(pod), 'Running');
  const events = builtinResources().find((r) => r.plural === 'events' && r.group === '')!;
  const ev = { metadata: { name: 'e' }, involvedObject: { kind: 'Pod' }, source: { component: 'kubelet' } };
  assert.equal(events.fieldSelectors!['involvedObject.kind']!(ev), 'Pod');
  assert.equal(events.fieldSelectors!.source!(ev), 'kubelet');
  const rs = builtinResources().find((r) => r.plural === 'replicasets')!;
  assert.equal(rs.fieldSelectors!['status.replicas']!({ metadata: {} }), '0');
});

test('builtinResources returns fresh rows on every call', () => {
  const a = builtinResources();
  const b = builtinResources();
  assert.notEqual(a, b);
  assert.notEqual(a[0], b[0]);
  a[0]!.shortNames.push('zzz');
  assert.ok(!b[0]!.shortNames.includes('zzz'));
});

test('ResourceTable adds, replaces, removes and notifies', () => {
  const table = newBuiltinResourceTable();
  assert.equal(table.lookup('apps', 'v1', 'deployments')?.kind, 'Deployment');
  assert.equal(table.byKind('', 'v1', 'Pod')?.plural, 'pods');
  assert.deepEqual(table.groups().get('autoscaling'), ['v2', 'v1']);
  assert.deepEqual(table.groups().get(''), ['v1']);

  const changes: ResourceTableChange[] = [];
  const unsubscribe = table.onChange((c) => changes.push(c));
  const widget = row({ group: 'example.com', version: 'v1beta1', plural: 'widgets', singular: 'widget', kind: 'Widget', namespaced: true });
  table.add(widget);
  table.add({ ...widget, shortNames: ['wd'] });
  table.add({ ...widget, version: 'v1' });
  assert.deepEqual(table.groups().get('example.com'), ['v1', 'v1beta1']);
  assert.equal(table.remove('example.com', 'v1beta1', 'widgets'), true);
  assert.equal(table.remove('example.com', 'v1beta1', 'widgets'), false);
  assert.equal(table.lookup('example.com', 'v1beta1', 'widgets'), undefined);
  assert.equal(table.byKind('example.com', 'v1beta1', 'Widget'), undefined);
  assert.deepEqual(changes.map((c) => c.type), ['added', 'updated', 'added', 'removed']);
  unsubscribe();
  table.remove('example.com', 'v1', 'widgets');
  assert.equal(changes.length, 4);
  assert.equal(new ResourceTable().all().length, 0);
});
