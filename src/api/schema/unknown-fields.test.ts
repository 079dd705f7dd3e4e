import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTypeRegistry } from './registry.js';
import { findUnknownFields } from './unknown-fields.js';

const registry = createTypeRegistry();

const podTemplate = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }],
  },
};

const cases: { name: string; kind: string; group: string; obj: object; want: string[] }[] = [
  {
    name: 'valid Deployment',
    kind: 'Deployment',
    group: 'apps',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { a: 'b' }, ownerReferences: [] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } }, template: podTemplate },
    },
    want: [],
  },
  {
    name: 'DaemonSet has no replicas',
    kind: 'DaemonSet',
    group: 'apps',
    obj: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { replicas: 3, selector: {}, template: podTemplate } },
    want: ['spec.replicas'],
  },
  {
    name: 'list items and metadata',
    kind: 'Deployment',
    group: 'apps',
    obj: {
      metadata: { name: 'x', bogus: 1 },
      spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b', foo: 1, env: [{ name: 'X', valueFrm: {} }] }] } } },
    },
    want: ['metadata.bogus', 'spec.template.spec.containers[1].foo', 'spec.template.spec.containers[1].env[0].valueFrm'],
  },
  {
    name: 'preserve-unknown-fields stops descent',
    kind: 'ControllerRevision',
    group: 'apps',
    obj: { metadata: { name: 'r', managedFields: [{ fieldsV1: { 'f:spec': { '.': {} } } }] }, data: { anything: { goes: 1 } }, revision: 1 },
    want: [],
  },
];

for (const c of cases) {
  test(`findUnknownFields: ${c.name}`, () => {
    const schema = registry.schemaFor({ group: c.group, version: 'v1', kind: c.kind });
    assert.ok(schema);
    assert.deepEqual(findUnknownFields(c.obj, schema, registry), c.want);
  });
}
