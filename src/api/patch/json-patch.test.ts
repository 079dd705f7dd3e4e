import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, decodePointerToken, encodePointerToken } from './json-patch.js';
import {
  JsonPatchApplyError,
  JsonPatchTestFailedError,
  JsonPatchTooManyOperationsError,
  MalformedPatchError,
} from './errors.js';

function deployment() {
  return {
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
        spec: { containers: [{ name: 'c', image: 'img:2' }] },
      },
      list: [1, 2, 3],
    },
  };
}

const success: { name: string; ops: unknown[]; expect: (d: ReturnType<typeof deployment>) => unknown }[] = [
  {
    name: 'add a label whose key needs ~1 escaping',
    ops: [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }],
    expect: (d) => ((d.metadata.labels as Record<string, string>)['app.kubernetes.io/name'] = 'web'),
  },
  {
    name: 'add with ~0 escaping',
    ops: [{ op: 'add', path: '/metadata/labels/a~0b', value: 'x' }],
    expect: (d) => ((d.metadata.labels as Record<string, string>)['a~b'] = 'x'),
  },
  {
    name: 'add appends with -',
    ops: [{ op: 'add', path: '/spec/list/-', value: 4 }],
    expect: (d) => d.spec.list.push(4),
  },
  {
    name: 'add inserts at an index',
    ops: [{ op: 'add', path: '/spec/list/1', value: 9 }],
    expect: (d) => d.spec.list.splice(1, 0, 9),
  },
  {
    name: 'add at index == length appends',
    ops: [{ op: 'add', path: '/spec/list/3', value: 9 }],
    expect: (d) => d.spec.list.push(9),
  },
  {
    name: 'remove an array item with a negative index (v4 extension)',
    ops: [{ op: 'remove', path: '/spec/list/-1' }],
    expect: (d) => d.spec.list.pop(),
  },
  {
    name: 'remove a key',
    ops: [{ op: 'remove', path: '/metadata/annotations/deployment.kubernetes.io~1revision' }],
    expect: (d) => (d.metadata.annotations = {} as typeof d.metadata.annotations),
  },
  {
    name: 'replace of a missing object key adds it (v4 behaviour)',
    ops: [{ op: 'replace', path: '/metadata/labels/tier', value: 'fe' }],
    expect: (d) => ((d.metadata.labels as Record<string, string>).tier = 'fe'),
  },
  {
    name: 'kubectl rollout undo of a Deployment: replace /spec/template and /metadata/annotations',
    ops: [
      {
        op: 'replace',
        path: '/spec/template',
        value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
      },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ],
    expect: (d) => {
      d.spec.template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } } as typeof d.spec.template;
      d.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    },
  },
  {
    name: 'move a value',
    ops: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }],
    expect: (d) => (d.metadata.labels = { name: 'web' } as unknown as typeof d.metadata.labels),
  },
  {
    name: 'copy a value, not a reference',
    ops: [
      { op: 'copy', from: '/spec/template/spec/containers/0', path: '/spec/template/spec/containers/-' },
      { op: 'replace', path: '/spec/template/spec/containers/1/name', value: 'd' },
    ],
    expect: (d) => d.spec.template.spec.containers.push({ name: 'd', image: 'img:2' }),
  },
  {
    name: 'test that passes, then replace',
    ops: [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'test', path: '/spec/template/spec/containers/0', value: { image: 'img:2', name: 'c' } },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ],
    expect: (d) => (d.spec.replicas = 3),
  },
  {
    name: 'test of a missing key against null passes (v4)',
    ops: [{ op: 'test', path: '/metadata/missing', value: null }],
    expect: () => undefined,
  },
];

for (const c of success) {
  test(`json patch: ${c.name}`, () => {
    const original = deployment();
    const want = deployment();
    c.expect(want);
    assert.deepEqual(applyJsonPatch(original, c.ops), want);
    assert.deepEqual(original, deployment(), 'input must not be modified');
  });
}

const failures: { name: string; ops: unknown; error: new (...args: never[]) => Error; code: string; message: string }[] = [
  {
    name: 'test failure',
    ops: [{ op: 'test', path: '/spec/replicas', value: 5 }],
    error: JsonPatchTestFailedError,
    code: 'JsonPatchTestFailed',
    message: 'testing value /spec/replicas failed: test failed',
  },
  {
    name: 'test of a missing key against a value',
    ops: [{ op: 'test', path: '/metadata/missing', value: 'x' }],
    error: JsonPatchTestFailedError,
    code: 'JsonPatchTestFailed',
    message: 'testing value /metadata/missing failed: test failed',
  },
  {
    name: 'test with a missing parent',
    ops: [{ op: 'test', path: '/nope/x', value: 1 }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: 'test operation does not apply: is missing path: /nope/x: missing value',
  },
  {
    name: 'replace under a missing parent',
    ops: [{ op: 'replace', path: '/spec/nope/x', value: 1 }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: 'replace operation does not apply: doc is missing path: /spec/nope/x: missing value',
  },
  {
    name: 'replace of an array index out of range',
    ops: [{ op: 'replace', path: '/spec/list/7', value: 1 }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: 'replace operation does not apply: doc is missing key: /spec/list/7: missing value',
  },
  {
    name: 'remove of a missing key',
    ops: [{ op: 'remove', path: '/metadata/labels/x' }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: "error in remove for path: '/metadata/labels/x': Unable to remove nonexistent key: x: missing value",
  },
  {
    name: 'add past the end of an array',
    ops: [{ op: 'add', path: '/spec/list/5', value: 1 }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: "error in add for path: '/spec/list/5': Unable to access invalid index: 5: invalid index referenced",
  },
  {
    name: 'add with a non-numeric array index',
    ops: [{ op: 'add', path: '/spec/list/x', value: 1 }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: `error in add for path: '/spec/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
  },
  {
    name: 'add under a missing parent',
    ops: [{ op: 'add', path: '/a/b/c', value: 1 }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: 'add operation does not apply: doc is missing path: "/a/b/c": missing value',
  },
  {
    name: 'unknown op',
    ops: [{ op: 'frobnicate', path: '/a' }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: 'Unexpected kind: frobnicate',
  },
  {
    name: 'missing path',
    ops: [{ op: 'remove' }],
    error: JsonPatchApplyError,
    code: 'JsonPatchApplyFailed',
    message: 'remove operation failed to decode path: missing value',
  },
  {
    name: 'body that is not a list',
    ops: { op: 'add', path: '/a', value: 1 },
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
  },
  {
    name: 'operation that is not an object',
    ops: ['add'],
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
  },
];

for (const c of failures) {
  test(`json patch fails: ${c.name}`, () => {
    assert.throws(
      () => applyJsonPatch(deployment(), c.ops),
      (err: unknown) => {
        assert.ok(err instanceof c.error, `expected ${c.error.name}, got ${String(err)}`);
        assert.equal((err as Error & { code?: string }).code, c.code);
        assert.equal((err as Error).message, c.message);
        return true;
      },
    );
  });
}

test('json patch: operations apply in order and a later failure discards earlier ones', () => {
  const original = deployment();
  assert.throws(() =>
    applyJsonPatch(original, [
      { op: 'replace', path: '/spec/replicas', value: 9 },
      { op: 'test', path: '/spec/replicas', value: 2 },
    ]),
  JsonPatchTestFailedError);
  assert.equal(original.spec.replicas, 2);
});

test('json patch: more than 10000 operations is rejected before applying', () => {
  const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
  assert.throws(() => applyJsonPatch(deployment(), ops), (err: unknown) => {
    assert.ok(err instanceof JsonPatchTooManyOperationsError);
    assert.equal(err.message, 'The allowed maximum operations in a JSON patch is 10000, got 10001');
    return true;
  });
});

test('json patch: replace of the whole document', () => {
  assert.deepEqual(applyJsonPatch(deployment(), [{ op: 'replace', path: '', value: { a: 1 } }]), { a: 1 });
});

test('json pointer tokens round-trip', () => {
  for (const key of ['plain', 'app.kubernetes.io/name', 'a~b', '~1', 'x/~0/y']) {
    assert.equal(decodePointerToken(encodePointerToken(key)), key);
  }
  assert.equal(decodePointerToken('~01'), '~1');
  assert.equal(encodePointerToken('a/b~c'), 'a~1b~0c');
});
