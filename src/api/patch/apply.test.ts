import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { applyTestingRegistry, DEPLOYMENT_DEFINITION } from './apply-testing-registry.js';
import { applyPatch, LAST_APPLIED_ANNOTATION } from './apply.js';
import { ApplyBadRequestError, ApplyConflictError, ApplyInvalidObjectError } from './apply-errors.js';
import { FieldSet } from './fieldpath.js';
import { updateManagedFields } from './managed-fields.js';

const registry = applyTestingRegistry();
const schema = registry.definitions()[DEPLOYMENT_DEFINITION];
const T0 = Date.UTC(2024, 0, 1);
const T1 = Date.UTC(2024, 0, 2);
const status = FieldSet.of(['f:status']);

interface Opts {
  replicas?: number;
  labels?: Record<string, string>;
  containers?: Record<string, unknown>[];
  annotations?: Record<string, string>;
}
function config(o: Opts = {}): KubeObject {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: o.containers ?? [{ name: 'c', image: 'nginx' }] } },
  };
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  const metadata: KubeObject['metadata'] = { name: 'web', namespace: 'default', labels: o.labels ?? { app: 'web' } };
  if (o.annotations) metadata.annotations = o.annotations;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager: string, force = false, now = T0): KubeObject {
  return applyPatch({ live, applied, manager, force, apiVersion: 'apps/v1', now, schema, registry, ignoredFields: status }).object;
}
function applyErr(live: KubeObject | undefined, applied: KubeObject, manager: string): unknown {
  try {
    apply(live, applied, manager);
  } catch (err) {
    return err;
  }
  assert.fail('expected the apply to fail');
}
function owners(obj: KubeObject): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of obj.metadata.managedFields ?? []) out[`${e.manager}/${e.operation}`] = flatten(e.fieldsV1 ?? {});
  return out;
}
function flatten(f: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(f).flatMap(([k, v]) => {
    const p = k === '.' ? prefix : `${prefix}/${k}`;
    const sub = v as Record<string, unknown>;
    return k === '.' || Object.keys(sub).length === 0 ? [p] : flatten(sub, p);
  });
}
/** The store's part: assign a uid when creating. */
const stored = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, uid: 'u1' } });

test('create via apply records an Apply entry with exactly the applied fields', () => {
  const out = apply(undefined, config({ replicas: 2 }), 'kubectl');
  assert.equal(out.spec && (out.spec as { replicas: number }).replicas, 2);
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      },
    },
  ]);
});

test('re-applying without a label removes it; other owners keep theirs', () => {
  const v1 = stored(apply(undefined, config({ labels: { app: 'web', tier: 'fe', shared: 'x' } }), 'a'));
  const v2 = apply(v1, config({ labels: { shared: 'x' } }), 'b');
  const v3 = apply(v2, config({ labels: { app: 'web' } }), 'a', false, T1);
  assert.deepEqual(v3.metadata.labels, { app: 'web', shared: 'x' });
  assert.ok(!owners(v3)['a/Apply']!.includes('/f:metadata/f:labels/f:tier'));
  assert.ok(owners(v3)['b/Apply']!.includes('/f:metadata/f:labels/f:shared'));
});

test('a second applier changing replicas conflicts with the upstream message', async (t) => {
  await t.test('against an Apply owner', () => {
    const live = stored(apply(undefined, config({ replicas: 1 }), 'alice'));
    const err = applyErr(live, config({ replicas: 3 }), 'bob');
    assert.ok(err instanceof ApplyConflictError);
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    assert.deepEqual(err.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);
    assert.deepEqual(err.conflicts.map((c) => c.manager), ['alice']);
  });
  await t.test('against an Update owner, several fields', () => {
    const created = stored(updateManagedFields({ old: undefined, obj: config({ replicas: 1 }), manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now: T0, schema, registry }));
    const err = applyErr(created, config({ replicas: 3, containers: [{ name: 'c', image: 'httpd' }] }), 'bob');
    assert.ok(err instanceof ApplyConflictError);
    assert.equal(
      err.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image',
    );
    assert.deepEqual(err.causes[1], {
      reason: 'FieldManagerConflict',
      message: 'conflict with "kubectl-client-side-apply" using apps/v1',
      field: '.spec.template.spec.containers[name="c"].image',
    });
  });
  await t.test('the same value never conflicts and ownership is shared', () => {
    const live = stored(apply(undefined, config({ replicas: 1 }), 'alice'));
    const out = apply(live, config({ replicas: 1 }), 'bob');
    assert.ok(owners(out)['alice/Apply']!.includes('/f:spec/f:replicas'));
    assert.ok(owners(out)['bob/Apply']!.includes('/f:spec/f:replicas'));
  });
});

test('force takes ownership', () => {
  const live = stored(apply(undefined, config({ replicas: 1, labels: { app: 'web', x: '1' } }), 'alice'));
  const out = apply(live, config({ replicas: 5 }), 'bob', true, T1);
  assert.equal((out.spec as { replicas: number }).replicas, 5);
  assert.ok(!owners(out)['alice/Apply']!.includes('/f:spec/f:replicas'));
  assert.ok(owners(out)['bob/Apply']!.includes('/f:spec/f:replicas'));
  // Alice gives replicas up: bob owns it now, so it stays.
  const again = apply(stored(out), config({ labels: { app: 'web', x: '1' } }), 'alice', false, T1);
  assert.equal((again.spec as { replicas: number }).replicas, 5);
});

test('an update by kubectl-edit moves ownership of what it changed', () => {
  const live = stored(apply(undefined, config({ replicas: 1 }), 'kubectl'));
  const edited = updateManagedFields({
    old: live,
    obj: { ...config({ replicas: 1, containers: [{ name: 'c', image: 'httpd' }] }), metadata: { ...live.metadata } },
    manager: 'kubectl-edit',
    apiVersion: 'apps/v1',
    now: T1,
    schema,
    registry,
  });
  const o = owners(edited);
  assert.deepEqual(o['kubectl-edit/Update'], ['/f:spec/f:template/f:spec/f:containers/k:{"name":"c"}/f:image']);
  assert.ok(!o['kubectl/Apply']!.includes('/f:spec/f:template/f:spec/f:containers/k:{"name":"c"}/f:image'));
  const err = applyErr(edited, config({ replicas: 1 }), 'kubectl');
  assert.ok(err instanceof ApplyConflictError);
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.template.spec.containers[name="c"].image');
});

test('containers merge by name; items others own survive a re-apply', () => {
  const live = stored(apply(undefined, config({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }), 'app'));
  const withSidecar = stored(apply(live, config({ containers: [{ name: 'b', env: [{ name: 'E', value: '1' }] }, { name: 'sidecar', image: 's' }] }), 'mesh'));
  const containers = () => (withSidecar.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers;
  assert.deepEqual(containers(), [
    { name: 'a', image: 'x' },
    { name: 'b', image: 'y', env: [{ name: 'E', value: '1' }] },
    { name: 'sidecar', image: 's' },
  ]);
  const reapplied = apply(withSidecar, config({ containers: [{ name: 'b', image: 'y2' }] }), 'app', false, T1);
  assert.deepEqual((reapplied.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers, [
    { name: 'b', image: 'y2', env: [{ name: 'E', value: '1' }] },
    { name: 'sidecar', image: 's' },
  ]);
});

test('map-list keys use schema defaults (ports by containerPort+protocol)', () => {
  const live = stored(apply(undefined, config({ containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }), 'a'));
  const out = apply(live, config({ containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }] }), 'b');
  const c = (out.spec as { template: { spec: { containers: { ports: unknown[] }[] } } }).template.spec.containers[0]!;
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
});

test('switching from client-side to server-side apply with kubectl', async (t) => {
  const csa = (replicas: number): KubeObject => {
    const cfg = config({ replicas });
    const annotated = { ...cfg, metadata: { ...cfg.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(cfg) } } };
    return stored(updateManagedFields({ old: undefined, obj: annotated, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now: T0, schema, registry }));
  };
  await t.test('same values: no conflict, and the last-applied annotation follows', () => {
    const out = apply(csa(2), config({ replicas: 2 }), 'kubectl', false, T1);
    assert.ok(owners(out)['kubectl/Apply']!.includes('/f:spec/f:replicas'));
    assert.deepEqual(JSON.parse(out.metadata.annotations![LAST_APPLIED_ANNOTATION]!), JSON.parse(JSON.stringify(config({ replicas: 2 }))));
  });
  await t.test('a changed value it last applied is taken over', () => {
    const out = apply(csa(2), config({ replicas: 4 }), 'kubectl', false, T1);
    assert.equal((out.spec as { replicas: number }).replicas, 4);
    assert.ok(!(owners(out)['kubectl-client-side-apply/Update'] ?? []).includes('/f:spec/f:replicas'));
  });
  await t.test('another manager name gets the conflict', () => {
    assert.ok(applyErr(csa(2), config({ replicas: 4 }), 'helm') instanceof ApplyConflictError);
  });
});

test('an existing object nobody tracked is owned by before-first-apply', () => {
  const live: KubeObject = { ...config({ replicas: 1 }), metadata: { ...config().metadata, uid: 'u1' } };
  const err = applyErr(live, config({ replicas: 2 }), 'x');
  assert.ok(err instanceof ApplyConflictError);
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
});

test('invalid configurations are refused', () => {
  const noName = config({ containers: [{ image: 'x' }] });
  const err = applyErr(undefined, noName, 'a');
  assert.ok(err instanceof ApplyInvalidObjectError);
  assert.match((err as Error).message, /^failed to create typed patch object \(default\/web; apps\/v1, Kind=Deployment\): \.spec\.template\.spec\.containers\[0\]: .*omits key field "name"/);
  const dup = config({ containers: [{ name: 'a' }, { name: 'a' }] });
  assert.match((applyErr(undefined, dup, 'a') as Error).message, /duplicate entries for key \[name="a"\]/);
  const withManaged = config();
  withManaged.metadata.managedFields = [{ manager: 'x' }];
  assert.ok(applyErr(undefined, withManaged, 'a') instanceof ApplyBadRequestError);
});

test('an apply that changes nothing keeps the entry time', () => {
  const live = stored(apply(undefined, config({ replicas: 1 }), 'a'));
  const out = apply(live, config({ replicas: 1 }), 'a', false, T1);
  assert.deepEqual(out.metadata.managedFields, live.metadata.managedFields);
});

test('status is not applied through the main resource', () => {
  const live = stored({ ...apply(undefined, config(), 'a'), status: { replicas: 1 } });
  const out = apply(live, { ...config(), status: { replicas: 9 } } as KubeObject, 'a');
  assert.ok(!JSON.stringify(out.metadata.managedFields).includes('f:status'));
});
