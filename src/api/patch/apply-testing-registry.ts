/**
 * A hand-written type registry for apply tests: a Deployment with just enough schema to
 * exercise every shape apply distinguishes. Extensions restate upstream's v1.32 documents
 * (containers keyed by name, ports by containerPort+protocol, LabelSelector atomic).
 * NOTE: not a model of the real registry — unknown kinds, definitions beyond these, and
 * validation facts are absent on purpose.
 */
import type { GroupVersionKind, Schema, TypeRegistry } from '../schema/types.js';

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer', format: 'int32' };
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };

const definitions: Record<string, Schema> = {
  'io.k8s.api.apps.v1.Deployment': {
    type: 'object',
    properties: {
      apiVersion: str,
      kind: str,
      metadata: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')], default: {} },
      spec: { allOf: [ref('io.k8s.api.apps.v1.DeploymentSpec')], default: {} },
      status: { allOf: [ref('io.k8s.api.apps.v1.DeploymentStatus')], default: {} },
    },
    'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    properties: {
      replicas: int,
      paused: { type: 'boolean' },
      selector: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec'),
      strategy: {
        type: 'object',
        properties: {
          type: str,
          rollingUpdate: { type: 'object', properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } } },
        },
      },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    type: 'object',
    properties: { replicas: int, readyReplicas: int, observedGeneration: { type: 'integer', format: 'int64' } },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.core.v1.PodSpec'),
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    required: ['containers'],
    properties: {
      containers: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.Container'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      // No list type, only a merge key: apply keys it by name (upstream's conversion does).
      volumes: { type: 'array', items: { type: 'object', properties: { name: str, emptyDir: { type: 'object' } } }, 'x-kubernetes-patch-merge-key': 'name' },
      tolerations: { type: 'array', items: { type: 'object', properties: { key: str } }, 'x-kubernetes-list-type': 'atomic' },
      nodeSelector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
      restartPolicy: str,
    },
  },
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    required: ['name'],
    properties: {
      name: str,
      image: str,
      args: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
      ports: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.ContainerPort'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
        'x-kubernetes-patch-merge-key': 'containerPort',
        'x-kubernetes-patch-strategy': 'merge',
      },
      env: {
        type: 'array',
        items: { type: 'object', properties: { name: str, value: str } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
    },
  },
  'io.k8s.api.core.v1.ContainerPort': {
    type: 'object',
    required: ['containerPort'],
    properties: { containerPort: int, name: str, protocol: { type: 'string', default: 'TCP' } },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    type: 'object',
    properties: { matchLabels: stringMap, matchExpressions: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' } },
    'x-kubernetes-map-type': 'atomic',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: str,
      labels: stringMap,
      annotations: stringMap,
      finalizers: { type: 'array', items: str, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
      managedFields: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' },
    },
  },
};

export const DEPLOYMENT_DEFINITION = 'io.k8s.api.apps.v1.Deployment';

export function applyTestingRegistry(): TypeRegistry {
  const resolve = (schema: Schema): Schema => {
    let s = schema;
    for (let depth = 0; depth < 32; depth++) {
      if (s.$ref) {
        const name = s.$ref.replace('#/components/schemas/', '');
        const target = definitions[name];
        if (!target) throw new Error(`unknown definition ${name}`);
        s = target;
      } else if (s.allOf?.length === 1 && !s.properties && !s.type) s = s.allOf[0]!;
      else return s;
    }
    throw new Error('definition cycle');
  };
  const definitionNameFor = (gvk: GroupVersionKind): string | undefined =>
    Object.keys(definitions).find((n) =>
      definitions[n]!['x-kubernetes-group-version-kind']?.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind),
    );
  return {
    definitions: () => definitions,
    definitionNameFor,
    schemaFor: (gvk) => {
      const n = definitionNameFor(gvk);
      return n ? definitions[n] : undefined;
    },
    resolve,
  };
}
