/**
 * A hand-written type registry for patch tests: Deployment and DaemonSet down to containers,
 * with upstream's patch metadata on the fields kubectl's patches touch.
 *
 * Does not model: most fields of each type, validation facts (formats, enums, required), list
 * types for server-side apply, any kind other than apps/v1 Deployment and DaemonSet.
 */
import type { GroupVersionKind, Schema, TypeRegistry } from '../schema/types.js';

const REF_PREFIX = '#/components/schemas/';

const ref = (name: string): Schema => ({ $ref: `${REF_PREFIX}${name}` });
/** Upstream's v3 documents wrap referenced property types in a one-element allOf. */
const wrapped = (name: string, extra: Schema = {}): Schema => ({ allOf: [ref(name)], ...extra });
const string: Schema = { type: 'string' };
const integer: Schema = { type: 'integer', format: 'int32' };
const boolean: Schema = { type: 'boolean' };
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const atomicStrings: Schema = { type: 'array', items: string };
const intOrString: Schema = { 'x-kubernetes-int-or-string': true };

function mergeList(item: string, mergeKey: string, strategy = 'merge'): Schema {
  return {
    type: 'array',
    items: wrapped(item),
    'x-kubernetes-patch-strategy': strategy,
    'x-kubernetes-patch-merge-key': mergeKey,
  };
}

function object(properties: Record<string, Schema>): Schema {
  return { type: 'object', properties };
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';

function rootKind(kind: string, spec: string): Schema {
  return {
    ...object({
      apiVersion: string,
      kind: string,
      metadata: wrapped(`${META}ObjectMeta`),
      spec: wrapped(spec),
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    }),
    'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind }],
  };
}

const definitions: Record<string, Schema> = {
  [`${META}ObjectMeta`]: object({
    name: string,
    namespace: string,
    uid: string,
    resourceVersion: string,
    generation: { type: 'integer', format: 'int64' },
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', items: string, 'x-kubernetes-patch-strategy': 'merge' },
    ownerReferences: mergeList(`${META}OwnerReference`, 'uid'),
  }),
  [`${META}OwnerReference`]: object({ apiVersion: string, kind: string, name: string, uid: string, controller: boolean }),
  [`${META}LabelSelector`]: object({ matchLabels: stringMap, matchExpressions: { type: 'array', items: { type: 'object' } } }),

  [`${APPS}Deployment`]: rootKind('Deployment', `${APPS}DeploymentSpec`),
  [`${APPS}DeploymentSpec`]: object({
    replicas: integer,
    paused: boolean,
    revisionHistoryLimit: integer,
    selector: wrapped(`${META}LabelSelector`),
    template: wrapped(`${CORE}PodTemplateSpec`),
    strategy: wrapped(`${APPS}DeploymentStrategy`, { 'x-kubernetes-patch-strategy': 'retainKeys' }),
  }),
  [`${APPS}DeploymentStrategy`]: object({ type: string, rollingUpdate: wrapped(`${APPS}RollingUpdateDeployment`) }),
  [`${APPS}RollingUpdateDeployment`]: object({ maxSurge: intOrString, maxUnavailable: intOrString }),

  [`${APPS}DaemonSet`]: rootKind('DaemonSet', `${APPS}DaemonSetSpec`),
  [`${APPS}DaemonSetSpec`]: object({
    selector: wrapped(`${META}LabelSelector`),
    template: wrapped(`${CORE}PodTemplateSpec`),
    minReadySeconds: integer,
    revisionHistoryLimit: integer,
  }),

  [`${CORE}PodTemplateSpec`]: object({ metadata: wrapped(`${META}ObjectMeta`), spec: wrapped(`${CORE}PodSpec`) }),
  [`${CORE}PodSpec`]: object({
    containers: mergeList(`${CORE}Container`, 'name'),
    initContainers: mergeList(`${CORE}Container`, 'name'),
    volumes: mergeList(`${CORE}Volume`, 'name', 'merge,retainKeys'),
    tolerations: { type: 'array', items: wrapped(`${CORE}Toleration`) },
    nodeSelector: stringMap,
    restartPolicy: string,
    terminationGracePeriodSeconds: { type: 'integer', format: 'int64' },
  }),
  [`${CORE}Container`]: object({
    name: string,
    image: string,
    imagePullPolicy: string,
    command: atomicStrings,
    args: atomicStrings,
    env: mergeList(`${CORE}EnvVar`, 'name'),
    ports: mergeList(`${CORE}ContainerPort`, 'containerPort'),
    volumeMounts: mergeList(`${CORE}VolumeMount`, 'mountPath'),
    resources: object({ limits: stringMap, requests: stringMap }),
  }),
  [`${CORE}EnvVar`]: object({ name: string, value: string, valueFrom: { type: 'object' } }),
  [`${CORE}ContainerPort`]: object({ containerPort: integer, name: string, protocol: string, hostPort: integer }),
  [`${CORE}VolumeMount`]: object({ name: string, mountPath: string, readOnly: boolean, subPath: string }),
  [`${CORE}Volume`]: object({
    name: string,
    configMap: object({ name: string, defaultMode: integer }),
    secret: object({ secretName: string, defaultMode: integer }),
    emptyDir: object({ medium: string, sizeLimit: string }),
    hostPath: object({ path: string, type: string }),
  }),
  [`${CORE}Toleration`]: object({ key: string, operator: string, value: string, effect: string }),
};

export function createTestingRegistry(): TypeRegistry {
  const byKind = new Map<string, string>();
  for (const [name, schema] of Object.entries(definitions)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) byKind.set(gvkKey(gvk), name);
  }
  const registry: TypeRegistry = {
    definitions: () => definitions,
    definitionNameFor: (gvk) => byKind.get(gvkKey(gvk)),
    schemaFor: (gvk) => {
      const name = byKind.get(gvkKey(gvk));
      return name === undefined ? undefined : definitions[name];
    },
    resolve: (schema) => {
      let current = schema;
      for (;;) {
        if (current.$ref) {
          const target = definitions[current.$ref.slice(REF_PREFIX.length)];
          if (!target) throw new Error(`unknown schema reference ${current.$ref}`);
          current = target;
        } else if (current.allOf?.length === 1 && !current.properties && !current.type) {
          current = current.allOf[0]!;
        } else {
          return current;
        }
      }
    },
  };
  return registry;
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}
