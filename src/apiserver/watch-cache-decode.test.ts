import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, resourceVersionSpliceAt } from './watch-cache.js';

const cases: { name: string; obj: unknown }[] = [
  { name: 'plain', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data: { k: 'v' } } },
  { name: 'metadata not first', obj: { kind: 'Pod', spec: { x: [{ a: '}' }] }, metadata: { name: 'p', labels: { q: '"metadata":{' } } } },
  { name: 'nested braces and escapes in metadata', obj: { metadata: { name: 'n', annotations: { 'x/y': '{"resourceVersion":"1"}\\"}]' }, managedFields: [{ fieldsV1: { 'f:data': { '.': {} } } }] } } },
  { name: 'metadata key inside another object', obj: { spec: { metadata: { name: 'inner' } }, metadata: { name: 'outer' } } },
];

for (const c of cases) {
  test(`decode splices resourceVersion like parse+stringify: ${c.name}`, () => {
    const value = JSON.stringify(c.obj);
    assert.ok(resourceVersionSpliceAt(value) > 0);
    const got = decode('/k', value, 42);
    const want = structuredClone(c.obj) as { metadata: Record<string, unknown> };
    want.metadata.resourceVersion = '42';
    assert.equal(got.json, JSON.stringify(want));
    assert.deepEqual(got.obj, want);
    assert.equal(got.obj, got.obj, 'the parsed object is kept');
    assert.equal(got.rv, 42);
  });
}

const fallbacks: { name: string; value: string }[] = [
  { name: 'already has resourceVersion', value: '{"metadata":{"name":"a","resourceVersion":"3"}}' },
  { name: 'empty metadata', value: '{"kind":"X","metadata":{}}' },
  { name: 'no metadata', value: '{"kind":"X"}' },
  { name: 'not compact', value: '{"kind": "X", "metadata": {"name": "a"}}' },
];

for (const f of fallbacks) {
  test(`decode falls back to parsing: ${f.name}`, () => {
    assert.equal(resourceVersionSpliceAt(f.value), -1);
    const got = decode('/k', f.value, 7);
    assert.equal(got.obj.metadata.resourceVersion, '7');
    assert.deepEqual(JSON.parse(got.json), got.obj);
  });
}
