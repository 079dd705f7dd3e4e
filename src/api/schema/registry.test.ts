import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTypeRegistry } from './registry.js';
import type { Schema } from './types.js';

const registry = createTypeRegistry();
const defs = registry.definitions();

function prop(definition: string, ...path: string[]): Schema {
  let schema = defs[definition];
  for (const field of path) {
    const next = registry.resolve(schema).properties?.[field];
    assert.ok(next, `${definition}: no field ${path.join('.')}`);
    schema = next;
  }
  return schema;
}

test('Deployment resolves by GVK with description and GVK extension', () => {
  const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
  assert.equal(registry.definitionNameFor(gvk), 'io.k8s.api.apps.v1.Deployment');
  const schema = registry.schemaFor(gvk)!;
  assert.match(schema.description ?? '', /declarative updates for Pods/);
  assert.deepEqual(schema['x-kubernetes-group-version-kind'], [gvk]);
  assert.match(schema.properties?.apiVersion?.description ?? '', /versioned schema/);
});

test('spec.strategy resolves to a described DeploymentStrategy with retainKeys', () => {
  const strategy = prop('io.k8s.api.apps.v1.Deployment', 'spec', 'strategy');
  assert.ok(strategy.description);
  assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  const resolved = registry.resolve(strategy);
  assert.match(resolved.description ?? '', /DeploymentStrategy/);
  assert.ok(resolved.properties?.rollingUpdate?.description);
});

test('patch and list metadata', () => {
  const cases: [string, string[], Partial<Schema>][] = [
    ['io.k8s.api.core.v1.PodSpec', ['containers'], { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map' }],
    ['io.k8s.api.core.v1.PodSpec', ['volumes'], { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }],
    ['io.k8s.api.core.v1.PodSpec', ['tolerations'], { 'x-kubernetes-list-type': 'atomic' }],
    ['io.k8s.api.core.v1.Container', ['ports'], { 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] }],
    ['io.k8s.api.core.v1.Container', ['env'], { 'x-kubernetes-patch-merge-key': 'name' }],
    ['io.k8s.api.core.v1.Container', ['volumeMounts'], { 'x-kubernetes-patch-merge-key': 'mountPath' }],
    ['io.k8s.api.core.v1.ServiceSpec', ['ports'], { 'x-kubernetes-patch-merge-key': 'port', 'x-kubernetes-list-map-keys': ['port', 'protocol'] }],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', ['finalizers'], { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' }],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', ['ownerReferences'], { 'x-kubernetes-patch-merge-key': 'uid' }],
  ];
  for (const [definition, path, expected] of cases) {
    const schema = prop(definition, ...path);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(schema[key as keyof Schema], value, `${definition}.${path.join('.')} ${key}`);
    }
  }
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type'], 'atomic');
});

test('scalar types and formats', () => {
  const cases: [Schema, Partial<Schema>][] = [
    [prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas'), { type: 'integer', format: 'int32' }],
    [prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generation'), { type: 'integer', format: 'int64' }],
    [prop('io.k8s.api.core.v1.Secret', 'data').additionalProperties as Schema, { type: 'string', format: 'byte' }],
    [defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true }],
    [defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time'], { type: 'string', format: 'date-time' }],
    [defs['io.k8s.apimachinery.pkg.api.resource.Quantity'], { type: 'string' }],
    [prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'labels'), { type: 'object', additionalProperties: { type: 'string' } }],
  ];
  for (const [schema, expected] of cases) {
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(schema[key as keyof Schema], value, key);
  }
});

test('every $ref resolves to a definition', () => {
  const missing: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const ref = (node as Schema).$ref;
    if (typeof ref === 'string' && !defs[ref.replace('#/components/schemas/', '')]) missing.push(ref);
    for (const child of Object.values(node)) visit(child);
  };
  visit(defs);
  assert.deepEqual(missing, []);
  assert.ok(Object.keys(defs).length > 800);
});

test('definitions are shared and immutable', () => {
  assert.equal(createTypeRegistry().definitions(), defs);
  assert.throws(() => {
    (defs['io.k8s.api.apps.v1.Deployment'] as { description?: string }).description = 'x';
  });
});

test('shared meta kinds resolve for any group-version', () => {
  assert.equal(registry.definitionNameFor({ group: 'apps', version: 'v1', kind: 'DeleteOptions' }), 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  assert.equal(registry.definitionNameFor({ group: 'nope', version: 'v1', kind: 'Nope' }), undefined);
});
