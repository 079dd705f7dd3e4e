import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, applyStrategicMergePatchForKind } from './strategic-merge-patch.js';
import {
  MalformedPatchError,
  StrategicMergeNotSupportedError,
  StrategicMergePatchError,
  StrategicMergePatchInvalidError,
} from './errors.js';
import { createTestingRegistry } from './testing-registry.js';

const registry = createTestingRegistry();
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const DAEMONSET = { group: 'apps', version: 'v1', kind: 'DaemonSet' };

type Doc = any;

function deployment(): Doc {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { note: '1' },
      finalizers: ['f1', 'f2'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'img:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
            { name: 'sidecar', image: 'side:1' },
          ],
          volumes: [
            { name: 'data', emptyDir: {} },
            { name: 'cfg', configMap: { name: 'cfg' } },
          ],
          tolerations: [{ key: 'k1', operator: 'Exists' }],
        },
      },
    },
  };
}

const podSpec = (d: Doc) => d.spec.template.spec;

const cases: { name: string; patch: Doc; expect: (d: Doc) => void }[] = [
  {
    name: 'kubectl set image as the brief gives it (no $setElementOrder)',
    patch: { spec: { template: { spec: { containers: [{ image: 'img:2', name: 'c' }] } } } },
    expect: (d) => (podSpec(d).containers[0].image = 'img:2'),
  },
  {
    name: 'kubectl set image as kubectl sends it',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'c' }, { name: 'sidecar' }],
            containers: [{ image: 'img:2', name: 'c' }],
          },
        },
      },
    },
    expect: (d) => (podSpec(d).containers[0].image = 'img:2'),
  },
  {
    name: 'set image of the second container keeps the order',
    patch: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'side:2' }] } } } },
    expect: (d) => (podSpec(d).containers[1].image = 'side:2'),
  },
  {
    name: 'a new container without $setElementOrder goes first (upstream ordering)',
    patch: { spec: { template: { spec: { containers: [{ name: 'new', image: 'n:1' }] } } } },
    expect: (d) => podSpec(d).containers.unshift({ name: 'new', image: 'n:1' }),
  },
  {
    name: 'a new container placed by $setElementOrder',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'c' }, { name: 'sidecar' }, { name: 'new' }],
            containers: [{ name: 'new', image: 'n:1' }],
          },
        },
      },
    },
    expect: (d) => podSpec(d).containers.push({ name: 'new', image: 'n:1' }),
  },
  {
    name: 'delete a container with $patch: delete',
    patch: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
    expect: (d) => podSpec(d).containers.splice(1, 1),
  },
  {
    name: 'merge env by name inside a container',
    patch: {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'c',
                env: [
                  { name: 'B', value: '3' },
                  { name: 'C', value: 'x' },
                ],
              },
            ],
          },
        },
      },
    },
    expect: (d) => (podSpec(d).containers[0].env = [
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: 'x' },
    ]),
  },
  {
    name: 'merge ports by containerPort',
    patch: { spec: { template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }] } } } },
    expect: (d) => (podSpec(d).containers[0].ports = [{ containerPort: 80, protocol: 'TCP', name: 'http' }]),
  },
  {
    name: 'merge volumeMounts by mountPath',
    patch: {
      spec: { template: { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] } } },
    },
    expect: (d) => (podSpec(d).containers[0].volumeMounts = [{ name: 'data', mountPath: '/data', readOnly: true }]),
  },
  {
    name: 'tolerations have no strategy and are replaced',
    patch: { spec: { template: { spec: { tolerations: [{ key: 'k2', operator: 'Exists' }] } } } },
    expect: (d) => (podSpec(d).tolerations = [{ key: 'k2', operator: 'Exists' }]),
  },
  {
    name: 'labels merge; null deletes a key',
    patch: { metadata: { labels: { app: null, tier: 'fe' } } },
    expect: (d) => (d.metadata.labels = { tier: 'fe' }),
  },
  {
    name: 'null for a missing field is ignored',
    patch: { spec: { paused: null } },
    expect: () => undefined,
  },
  {
    name: 'kubectl rollout restart',
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } } },
    expect: (d) => (d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' }),
  },
  {
    name: 'kubectl rollout pause',
    patch: { spec: { paused: true } },
    expect: (d) => (d.spec.paused = true),
  },
  {
    name: 'finalizers (merge, primitive) are unioned; patch order wins, unknown items lead',
    patch: { metadata: { finalizers: ['f3', 'f1'] } },
    expect: (d) => (d.metadata.finalizers = ['f3', 'f1', 'f2']),
  },
  {
    name: 'finalizers: server-only items stay before patch items that follow them live',
    patch: { metadata: { finalizers: ['f2'] } },
    expect: () => undefined,
  },
  {
    name: 'finalizers ordered by $setElementOrder',
    patch: { metadata: { '$setElementOrder/finalizers': ['f1', 'f2', 'f3'], finalizers: ['f3'] } },
    expect: (d) => (d.metadata.finalizers = ['f1', 'f2', 'f3']),
  },
  {
    name: '$deleteFromPrimitiveList/finalizers',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] } },
    expect: (d) => (d.metadata.finalizers = ['f2']),
  },
  {
    name: 'client-side apply of finalizers: add, delete and order together',
    patch: {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['f1'],
        '$setElementOrder/finalizers': ['f2', 'f3'],
        finalizers: ['f3'],
      },
    },
    expect: (d) => (d.metadata.finalizers = ['f2', 'f3']),
  },
  {
    name: '$setElementOrder may name items the result does not have',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'gone' }, { name: 'c' }],
            containers: [{ name: 'sidecar', image: 'side:2' }, { name: 'c', image: 'img:2' }],
          },
        },
      },
    },
    expect: (d) => {
      const [c, sidecar] = podSpec(d).containers;
      podSpec(d).containers = [{ ...sidecar, image: 'side:2' }, { ...c, image: 'img:2' }];
    },
  },
  {
    name: '$setElementOrder of a primitive list without the list itself',
    patch: { metadata: { '$setElementOrder/finalizers': ['f2', 'gone', 'f1'] } },
    expect: (d) => (d.metadata.finalizers = ['f2', 'f1']),
  },
  {
    name: 'strategy (retainKeys): switching to Recreate drops rollingUpdate',
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    expect: (d) => (d.spec.strategy = { type: 'Recreate' }),
  },
  {
    name: 'volumes (merge,retainKeys): a volume switches source',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'x' }, name: 'data' }],
          },
        },
      },
    },
    expect: (d) => (podSpec(d).volumes[0] = { name: 'data', configMap: { name: 'x' } }),
  },
  {
    name: 'client-side apply three-way patch: containers, env and a deleted sidecar',
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'c' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
                env: [
                  { name: 'C', value: '3' },
                  { $patch: 'delete', name: 'B' },
                ],
                name: 'c',
              },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    },
    expect: (d) => {
      d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{}';
      podSpec(d).containers.splice(1, 1);
      podSpec(d).containers[0].env = [
        { name: 'A', value: '1' },
        { name: 'C', value: '3' },
      ];
    },
  },
  {
    name: 'client-side apply reorders containers with $setElementOrder alone',
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'c' }] } } } },
    expect: (d) => podSpec(d).containers.reverse(),
  },
  {
    name: '$patch: replace as a list item replaces the whole list',
    patch: { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } } } },
    expect: (d) => (podSpec(d).containers = [{ name: 'only', image: 'o:1' }]),
  },
  {
    name: '$patch: replace on a map',
    patch: { spec: { selector: { $patch: 'replace', matchLabels: { app: 'other' } } } },
    expect: (d) => (d.spec.selector = { matchLabels: { app: 'other' } }),
  },
  {
    name: '$patch: delete on a map leaves it empty (upstream)',
    patch: { spec: { strategy: { $patch: 'delete' } } },
    expect: (d) => (d.spec.strategy = {}),
  },
  {
    name: 'a list missing from the live object takes the patch value',
    patch: { spec: { template: { spec: { initContainers: [{ name: 'init', image: 'i:1' }] } } } },
    expect: (d) => (podSpec(d).initContainers = [{ name: 'init', image: 'i:1' }]),
  },
  {
    name: 'a value of another type replaces',
    patch: { spec: { strategy: 'odd' } },
    expect: (d) => (d.spec.strategy = 'odd'),
  },
];

for (const c of cases) {
  test(`strategic merge patch: ${c.name}`, () => {
    const original = deployment();
    const patch = JSON.parse(JSON.stringify(c.patch));
    const patchCopy = structuredClone(patch);
    const want = deployment();
    c.expect(want);
    const got = applyStrategicMergePatch(original, patch, registry.schemaFor(DEPLOYMENT), registry);
    assert.deepEqual(got, want);
    assert.deepEqual(original, deployment(), 'original must not be modified');
    assert.deepEqual(patch, patchCopy, 'patch must not be modified');
  });
}

test('strategic merge patch: kubectl rollout undo of a DaemonSet replaces the template', () => {
  const daemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' } },
        spec: {
          containers: [
            { name: 'agent', image: 'agent:2', env: [{ name: 'NEW', value: '1' }] },
            { name: 'extra', image: 'extra:1' },
          ],
        },
      },
    },
  };
  const revisionData = {
    spec: {
      template: {
        $patch: 'replace',
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'agent', image: 'agent:1' }] },
      },
    },
  };
  const got = applyStrategicMergePatchForKind(daemonSet, revisionData, DAEMONSET, registry);
  assert.deepEqual(got.spec, {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
  });
});

const failures: {
  name: string;
  patch: Doc;
  original?: Doc;
  error: new (...args: never[]) => Error;
  code: string;
  message: string | RegExp;
}[] = [
  {
    name: 'list item without the merge key',
    patch: { spec: { template: { spec: { containers: [{ image: 'img:2' }] } } } },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: 'map: map[image:img:2] does not contain declared merge key: name',
  },
  {
    name: '$patch: delete item without the merge key',
    patch: { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: 'map: map[$patch:delete] does not contain declared merge key: name',
  },
  {
    name: 'unknown directive on a map',
    patch: { spec: { strategy: { $patch: 'bogus' } } },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: 'unknown patch type: bogus in map: map[$patch:bogus]',
  },
  {
    name: 'unknown directive on a list item',
    patch: { spec: { template: { spec: { containers: [{ name: 'c', $patch: 'bogus' }] } } } },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: 'unknown patch type: bogus in map: map[$patch:bogus name:c]',
  },
  {
    name: '$patch: merge on a map is not supported upstream',
    patch: { spec: { strategy: { $patch: 'merge', type: 'Recreate' } } },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: 'unknown patch type: merge in map: map[$patch:merge type:Recreate]',
  },
  {
    name: '$patch: merge as a list item',
    patch: { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: '$setElementOrder disagreeing with the patch list',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'c' }],
            containers: [{ name: 'c', image: 'x' }, { name: 'sidecar', image: 'y' }],
          },
        },
      },
    },
    error: StrategicMergePatchError,
    code: 'StrategicMergePatchFailed',
    message: /^The order in patch list:\n.* doesn't match \$setElementOrder list:\n/s,
  },
  {
    name: '$retainKeys not naming a field the patch sets',
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } },
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'invalid patch format of retainKeys',
  },
  {
    name: '$retainKeys that is not a list',
    patch: { spec: { strategy: { $retainKeys: 'type' } } },
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'invalid patch format of retainKeys',
  },
  {
    name: '$deleteFromPrimitiveList without a field name',
    patch: { metadata: { $deleteFromPrimitiveListfinalizers: ['f1'] } },
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'invalid patch format of primitive list',
  },
  {
    name: '$setElementOrder without a field name',
    patch: { metadata: { $setElementOrder: ['f1'] } },
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: 'lists of lists',
    original: { metadata: { finalizers: [] } },
    patch: { metadata: { finalizers: [['x']] } },
    error: StrategicMergePatchInvalidError,
    code: 'StrategicMergePatchInvalid',
    message: 'lists of lists are not supported',
  },
  {
    name: 'a patch that is not an object',
    patch: [{ op: 'add' }],
    error: MalformedPatchError,
    code: 'MalformedPatch',
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
];

for (const c of failures) {
  test(`strategic merge patch fails: ${c.name}`, () => {
    assert.throws(
      () => applyStrategicMergePatch(c.original ?? deployment(), c.patch, registry.schemaFor(DEPLOYMENT), registry),
      (err: unknown) => {
        assert.ok(err instanceof c.error, `expected ${c.error.name}, got ${String(err)}`);
        assert.equal((err as Error & { code?: string }).code, c.code);
        if (typeof c.message === 'string') assert.equal((err as Error).message, c.message);
        else assert.match((err as Error).message, c.message);
        return true;
      },
    );
  });
}

test('strategic merge patch: kinds without a schema are not strategic-patchable', () => {
  const crontab = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
  assert.throws(
    () => applyStrategicMergePatchForKind({ spec: {} }, { spec: { a: 1 } }, crontab, registry),
    (err: unknown) => {
      assert.ok(err instanceof StrategicMergeNotSupportedError);
      assert.equal(err.code, 'StrategicMergePatchNotSupported');
      return true;
    },
  );
  assert.throws(() => applyStrategicMergePatch({}, {}, undefined, registry), StrategicMergeNotSupportedError);
});

test('strategic merge patch: $deleteFromPrimitiveList on a missing list sets it (upstream quirk)', () => {
  const original = { metadata: { name: 'x' } };
  const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] } };
  const got = applyStrategicMergePatch(original, patch, registry.schemaFor(DEPLOYMENT), registry);
  assert.deepEqual(got, { metadata: { name: 'x', finalizers: ['f1'] } });
});

test('strategic merge patch: a null patch changes nothing', () => {
  assert.deepEqual(applyStrategicMergePatch(deployment(), null, registry.schemaFor(DEPLOYMENT), registry), deployment());
});
