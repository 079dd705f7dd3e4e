import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from './merge-patch.js';
import { MalformedPatchError } from './errors.js';

const deployment = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'img:1' }] } } },
};

const cases: { name: string; doc: unknown; patch: unknown; want: unknown }[] = [
  {
    name: 'kubectl scale',
    doc: deployment,
    patch: { spec: { replicas: 5 } },
    want: { ...deployment, spec: { ...deployment.spec, replicas: 5 } },
  },
  {
    name: 'kubectl label adds a key',
    doc: deployment,
    patch: { metadata: { labels: { env: 'prod' } } },
    want: { ...deployment, metadata: { name: 'web', labels: { app: 'web', tier: 'fe', env: 'prod' } } },
  },
  {
    name: 'kubectl label x- sends null, which deletes',
    doc: deployment,
    patch: { metadata: { labels: { tier: null } } },
    want: { ...deployment, metadata: { name: 'web', labels: { app: 'web' } } },
  },
  {
    name: 'null for a missing key is a no-op',
    doc: { a: 1 },
    patch: { b: null },
    want: { a: 1 },
  },
  {
    name: 'lists are replaced, not merged',
    doc: deployment,
    patch: { spec: { template: { spec: { containers: [{ name: 'd' }] } } } },
    want: { ...deployment, spec: { replicas: 2, template: { spec: { containers: [{ name: 'd' }] } } } },
  },
  {
    name: 'nulls inside an added value are dropped',
    doc: { a: 1 },
    patch: { b: { c: null, d: 1, e: [null, { f: null, g: 2 }] } },
    want: { a: 1, b: { d: 1, e: [{ g: 2 }] } },
  },
  {
    name: 'an object replaces a scalar, minus its nulls',
    doc: { a: 1 },
    patch: { a: { b: null, c: 1 } },
    want: { a: { c: 1 } },
  },
  {
    name: 'a scalar replaces an object',
    doc: { a: { b: 1 } },
    patch: { a: 'x' },
    want: { a: 'x' },
  },
  {
    name: 'a list patch becomes the document (v4)',
    doc: { a: 1 },
    patch: [1, null, 2],
    want: [1, 2],
  },
  {
    name: 'an object patch over a non-object document becomes the document',
    doc: [1],
    patch: { a: 1, b: null },
    want: { a: 1 },
  },
];

for (const c of cases) {
  test(`merge patch: ${c.name}`, () => {
    const before = structuredClone(c.doc);
    assert.deepEqual(applyMergePatch(c.doc, c.patch), c.want);
    assert.deepEqual(c.doc, before, 'input must not be modified');
  });
}

for (const patch of [null, 'x', 3, true]) {
  test(`merge patch: ${JSON.stringify(patch)} is rejected as Invalid JSON Patch`, () => {
    assert.throws(() => applyMergePatch({ a: 1 }, patch), (err: unknown) => {
      assert.ok(err instanceof MalformedPatchError);
      assert.equal(err.code, 'MalformedPatch');
      assert.equal(err.message, 'Invalid JSON Patch');
      return true;
    });
  });
}

test('merge patch: a __proto__ key becomes a field, not a prototype', () => {
  const result = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(result), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
});

const diffs: { name: string; original: Record<string, unknown>; modified: Record<string, unknown>; patch: unknown }[] = [
  { name: 'no change', original: deployment, modified: structuredClone(deployment), patch: {} },
  {
    name: 'change, add and remove',
    original: { a: 1, b: { c: 1, d: 2 }, e: [1, 2], f: 'x' },
    modified: { a: 2, b: { c: 1 }, e: [1, 2], g: true },
    patch: { a: 2, b: { d: null }, f: null, g: true },
  },
  {
    name: 'list changes replace the whole list',
    original: { e: [1, 2] },
    modified: { e: [2] },
    patch: { e: [2] },
  },
  {
    name: 'type change replaces',
    original: { a: { b: 1 } },
    modified: { a: [1] },
    patch: { a: [1] },
  },
];

for (const c of diffs) {
  test(`create merge patch: ${c.name}`, () => {
    const patch = createMergePatch(c.original, c.modified);
    assert.deepEqual(patch, c.patch);
    assert.deepEqual(applyMergePatch(c.original, patch), c.modified, 'the patch must reproduce modified');
  });
}

test('create merge patch: documents must be objects', () => {
  assert.throws(() => createMergePatch([], {}), MalformedPatchError);
});
