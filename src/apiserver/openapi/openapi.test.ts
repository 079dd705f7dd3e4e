import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceType } from '../../api/resource-type.js';
import { createTypeRegistry } from '../../api/schema/registry.js';
import { buildOpenAPIV2 } from './v2.js';
import { buildOpenAPIV3, buildOpenAPIV3Document, buildOpenAPIV3Index, documentKeyOf } from './v3.js';

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function row(r: Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural'>): ResourceType {
  return {
    listKind: `${r.kind}List`,
    singular: r.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    namespaced: true,
    verbs: allVerbs,
    subresources: [],
    ...r,
  };
}

const resources: ResourceType[] = [
  row({
    group: '', version: 'v1', kind: 'Pod', plural: 'pods',
    subresources: [
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    ],
  }),
  row({ group: '', version: 'v1', kind: 'Service', plural: 'services', subresources: [{ name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] }] }),
  row({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false }),
  row({
    group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments',
    subresources: [
      { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
      { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  row({ group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets' }),
  row({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false }),
];

const registry = createTypeRegistry();

type Json = Record<string, any>;

function allRefs(node: unknown, out: string[] = []): string[] {
  if (node && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string') out.push(child);
      else allRefs(child, out);
    }
  }
  return out;
}

test('documentKeyOf accepts apiVersions and index keys', () => {
  const cases: [string, string][] = [['v1', 'api/v1'], ['apps/v1', 'apis/apps/v1'], ['apis/apps/v1', 'apis/apps/v1'], ['/api/v1', 'api/v1'], ['apis', 'apis']];
  for (const [input, want] of cases) assert.equal(documentKeyOf(input), want);
});

test('v3 index links every group-version with a content hash', () => {
  const index = buildOpenAPIV3Index(resources, registry);
  const keys = Object.keys(index.paths).sort();
  assert.deepEqual(keys, ['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1', 'apis/rbac.authorization.k8s.io', 'apis/rbac.authorization.k8s.io/v1', 'version']);
  assert.match(index.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  // Stable: the same input gives the same hashes.
  assert.deepEqual(buildOpenAPIV3Index(resources, registry), index);
});

test('v3 hash covers the served bytes', () => {
  const { documents, index } = buildOpenAPIV3(resources, registry);
  const doc = documents.get('api/v1')!;
  assert.ok(index.paths['api/v1'].serverRelativeURL.endsWith(doc.hash));
  assert.deepEqual(JSON.parse(doc.json), doc.document);
});

test('v3 apps/v1: deployment PATCH carries fieldValidation and the GVK kubectl looks for', () => {
  const doc = buildOpenAPIV3Document('apps/v1', resources, registry) as Json;
  assert.equal(doc.openapi, '3.0.0');
  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.ok(item, 'item path');
  const patch = item.patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.equal(patch.operationId, 'patchAppsV1NamespacedDeployment');
  const names = patch.parameters.map((p: Json) => `${p.in}:${p.name}`);
  for (const want of ['query:fieldValidation', 'query:fieldManager', 'query:dryRun', 'query:force']) assert.ok(names.includes(want), want);
  assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
  assert.ok(patch.requestBody.content['application/apply-patch+yaml']);
  assert.deepEqual(item.parameters.map((p: Json) => p.name), ['name', 'namespace', 'pretty']);

  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.deepEqual(scale.put['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.equal(scale.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
  assert.equal(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status'].patch.operationId, 'patchAppsV1NamespacedDeploymentStatus');
  const collection = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  assert.deepEqual(Object.keys(collection).sort(), ['delete', 'get', 'parameters', 'post']);
  assert.equal(collection.delete['x-kubernetes-action'], 'deletecollection');
  assert.equal(doc.paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}'].get['x-kubernetes-action'], 'watch');
  assert.equal(doc.paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
  assert.ok(!doc.paths['/api/v1/namespaces/{namespace}/pods'], 'only this group-version');
});

test('v3 documents are self-contained and carry field docs for explain', () => {
  const doc = buildOpenAPIV3Document('apis/apps/v1', resources, registry) as Json;
  const schemas = doc.components.schemas;
  for (const ref of allRefs(doc)) {
    assert.ok(ref.startsWith('#/components/schemas/'), ref);
    assert.ok(schemas[ref.slice('#/components/schemas/'.length)], `unresolved ${ref}`);
  }
  const strategy = schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
  assert.ok(strategy.description);
  assert.deepEqual(strategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }]);
  assert.equal(strategy.$ref, undefined);
  assert.ok(schemas['io.k8s.api.apps.v1.DeploymentStrategy'].properties.type.description);
  assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(!schemas['io.k8s.api.core.v1.Service'], 'unreachable definitions stay out');
});

test('v3 core/v1: subresources and cluster-scoped resources', () => {
  const doc = buildOpenAPIV3Document('v1', resources, registry) as Json;
  const p = doc.paths;
  assert.equal(p['/api/v1/namespaces/{namespace}/pods/{name}/binding'].post.operationId, 'createCoreV1NamespacedPodBinding');
  assert.deepEqual(p['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind'], { group: 'policy', version: 'v1', kind: 'Eviction' });
  assert.ok(p['/api/v1/namespaces/{namespace}/pods/{name}/log'].get.responses['200'].content['text/plain']);
  assert.equal(p['/api/v1/namespaces/{name}'].get.operationId, 'readCoreV1Namespace');
  assert.equal(p['/api/v1/namespaces'].delete.operationId, 'deleteCoreV1CollectionNamespace');
  assert.equal(p['/api/v1/watch/namespaces'].get.operationId, 'watchCoreV1NamespaceList');
  assert.ok(p['/api/v1/'].get, 'group-version discovery');
});

test('v2: swagger 2.0, refs resolve, no type any, unique operationIds, path parameters declared', () => {
  const doc = buildOpenAPIV2(resources, registry, { version: 'v1.32.0' }) as Json;
  assert.equal(doc.swagger, '2.0');
  assert.equal(doc.info.version, 'v1.32.0');
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('"type":"any"'));
  assert.ok(!text.includes('#/components/'));
  for (const ref of allRefs(doc)) {
    assert.ok(ref.startsWith('#/definitions/'), ref);
    assert.ok(doc.definitions[ref.slice('#/definitions/'.length)], `unresolved ${ref}`);
  }
  const ids = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    const pathParams = (item.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
    for (const [method, op] of Object.entries<Json>(item)) {
      if (method === 'parameters') continue;
      assert.ok(!ids.has(op.operationId), `duplicate ${op.operationId}`);
      ids.add(op.operationId);
      const declared = [...pathParams, ...(op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)];
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) assert.ok(declared.includes(name), `${path} ${method} lacks ${name}`);
    }
  }
  for (const want of ['listCoreV1NamespacedPod', 'patchAppsV1NamespacedDeploymentScale', 'listRbacAuthorizationV1ClusterRole', 'getCoreAPIVersions', 'getAppsAPIGroup', 'getAPIVersions']) {
    assert.ok(ids.has(want), want);
  }
  assert.equal(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers['x-kubernetes-patch-merge-key'], 'name');
});
