import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import type { FieldError } from '../field-errors.js';
import { builtinResources } from '../resources/index.js';

const rows = builtinResources();
function rt(group: string, plural: string) {
  const r = rows.find((x) => x.group === group && x.plural === plural && (x.version === 'v1' || x.version === 'v2'));
  assert.ok(r, plural);
  return r;
}

/** Defaults then validates, the way the registry does. */
function check(group: string, plural: string, obj: KubeObject, old?: KubeObject): string[] {
  const r = rt(group, plural);
  const copy = structuredClone(obj);
  r.defaults?.(copy);
  let prev: KubeObject | undefined;
  if (old) {
    prev = structuredClone(old);
    r.defaults?.(prev);
  }
  return (r.validate?.(copy, prev) ?? []).map((e: FieldError) => `${e.field}: ${e.message}`);
}

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const container = { name: 'c', image: 'nginx:1' };
const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [container], ...spec },
});
const meta = (name = 'x') => ({ name, namespace: 'default' });

interface Case {
  name: string;
  group: string;
  plural: string;
  obj: KubeObject;
  old?: KubeObject;
  want: string[];
}

const cases: Case[] = [
  { name: 'valid configmap', group: '', plural: 'configmaps', obj: { metadata: meta(), data: { 'a.b': 'c' } }, want: [] },
  {
    name: 'name with capital and underscore',
    group: '', plural: 'configmaps', obj: { metadata: meta('Foo_bar') },
    want: [`metadata.name: Invalid value: "Foo_bar": ${SUBDOMAIN_MSG}`],
  },
  {
    name: 'name or generateName required, namespace required',
    group: '', plural: 'configmaps', obj: { metadata: {} },
    want: ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value'],
  },
  {
    name: 'generateName may end in a dash',
    group: '', plural: 'configmaps', obj: { metadata: { generateName: 'cm-', namespace: 'default' } }, want: [],
  },
  {
    name: 'cluster-scoped object with a namespace',
    group: '', plural: 'namespaces', obj: { metadata: { name: 'a', namespace: 'b' } },
    want: ['metadata.namespace: Forbidden: not allowed on this type'],
  },
  {
    name: 'namespace names are labels',
    group: '', plural: 'namespaces', obj: { metadata: { name: 'a.b' } },
    want: [`metadata.name: Invalid value: "a.b": ${LABEL_MSG}`],
  },
  {
    name: 'bad label value',
    group: '', plural: 'configmaps', obj: { metadata: { ...meta(), labels: { app: '-x' } } },
    want: [
      "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  },
  {
    name: 'configmap key',
    group: '', plural: 'configmaps', obj: { metadata: meta(), data: { 'a/b': 'x' } },
    want: [
      "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ],
  },
  {
    name: 'configmap too large',
    group: '', plural: 'configmaps', obj: { metadata: meta(), data: { a: 'x'.repeat(1024 * 1024 + 1) } },
    want: [': Too long: may not be more than 1048576 bytes'],
  },
  {
    name: 'immutable configmap',
    group: '', plural: 'configmaps',
    obj: { metadata: meta(), immutable: true, data: { a: '2' } },
    old: { metadata: meta(), immutable: true, data: { a: '1' } },
    want: ['data: Forbidden: field is immutable when `immutable` is set'],
  },
  {
    name: 'tls secret needs its keys',
    group: '', plural: 'secrets', obj: { metadata: meta(), type: 'kubernetes.io/tls', data: {} },
    want: ['data[tls.crt]: Required value', 'data[tls.key]: Required value'],
  },
  {
    name: 'name change on update',
    group: '', plural: 'configmaps', obj: { metadata: meta('y') }, old: { metadata: meta('x') },
    want: ['metadata.name: Invalid value: "y": field is immutable'],
  },
  {
    name: 'deployment without selector',
    group: 'apps', plural: 'deployments', obj: { metadata: meta(), spec: { template: template({ app: 'x' }) } },
    want: [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    ],
  },
  {
    name: 'deployment selector not matching',
    group: 'apps', plural: 'deployments',
    obj: { metadata: meta(), spec: { selector: { matchLabels: { app: 'y' } }, template: template({ app: 'x' }) } },
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
  },
  {
    name: 'deployment template must restart Always; negative replicas',
    group: 'apps', plural: 'deployments',
    obj: { metadata: meta(), spec: { replicas: -1, selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }, { restartPolicy: 'Never' }) } },
    want: [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
  },
  {
    name: 'empty deployment selector',
    group: 'apps', plural: 'deployments',
    obj: { metadata: meta(), spec: { selector: {}, template: template({ app: 'x' }) } },
    want: [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ],
  },
  {
    name: 'deployment selector is immutable',
    group: 'apps', plural: 'deployments',
    obj: { metadata: meta(), spec: { selector: { matchLabels: { app: 'x', v: '2' } }, template: template({ app: 'x', v: '2' }) } },
    old: { metadata: meta(), spec: { selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }) } },
    want: [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ],
  },
  {
    name: 'deployment rolling update both zero',
    group: 'apps', plural: 'deployments',
    obj: {
      metadata: meta(),
      spec: { selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
    },
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'statefulset forbidden update',
    group: 'apps', plural: 'statefulsets',
    obj: { metadata: meta(), spec: { serviceName: 'b', selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }) } },
    old: { metadata: meta(), spec: { serviceName: 'a', selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }) } },
    want: [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ],
  },
  {
    name: 'valid daemonset',
    group: 'apps', plural: 'daemonsets',
    obj: { metadata: meta(), spec: { selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }) } },
    want: [],
  },
  {
    name: 'pod basics',
    group: '', plural: 'pods',
    obj: {
      metadata: meta(),
      spec: {
        containers: [
          { name: 'a', image: '' },
          { name: 'a', image: 'x', ports: [{ containerPort: 70000 }], volumeMounts: [{ name: 'nope', mountPath: '/d' }] },
        ],
        restartPolicy: 'Sometimes',
      },
    },
    want: [
      'spec.containers[0].image: Required value',
      'spec.containers[1].name: Duplicate value: "a"',
      'spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[1].volumeMounts[0].name: Not found: "nope"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
  },
  {
    name: 'pod without containers',
    group: '', plural: 'pods', obj: { metadata: meta(), spec: {} }, want: ['spec.containers: Required value'],
  },
  {
    name: 'pod requests above limits and bad quantities',
    group: '', plural: 'pods',
    obj: {
      metadata: meta(),
      spec: { containers: [{ ...container, resources: { limits: { cpu: '1' }, requests: { cpu: '2', memory: 'lots' } } }] },
    },
    want: [
      "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ],
  },
  {
    name: 'pod volumes',
    group: '', plural: 'pods',
    obj: { metadata: meta(), spec: { containers: [container], volumes: [{ name: 'a', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'a', emptyDir: {} }] } },
    want: ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type', 'spec.volumes[1].name: Duplicate value: "a"'],
  },
  {
    name: 'pod spec update',
    group: '', plural: 'pods',
    obj: { metadata: meta(), spec: { containers: [{ ...container, image: 'nginx:2' }], nodeName: 'n2' } },
    old: { metadata: meta(), spec: { containers: [container], nodeName: 'n1' } },
    want: [
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  spec.nodeName: changed',
    ],
  },
  {
    name: 'pod image update is allowed',
    group: '', plural: 'pods',
    obj: { metadata: meta(), spec: { containers: [{ ...container, image: 'nginx:2' }] } },
    old: { metadata: meta(), spec: { containers: [container] } },
    want: [],
  },
  {
    name: 'service without ports, bad name',
    group: '', plural: 'services', obj: { metadata: meta('1svc'), spec: { selector: { app: 'x' } } },
    want: [`metadata.name: Invalid value: "1svc": ${DNS1035_MSG}`, 'spec.ports: Required value'],
  },
  {
    name: 'service enums and port range',
    group: '', plural: 'services',
    obj: { metadata: meta(), spec: { type: 'Magic', ports: [{ port: 0, protocol: 'HTTP' }] } },
    want: [
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      // targetPort defaulted from the port, as upstream does, so it is invalid too.
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
  },
  {
    name: 'headless service without ports',
    group: '', plural: 'services', obj: { metadata: meta(), spec: { clusterIP: 'None' } }, want: [],
  },
  {
    name: 'service clusterIP may not change',
    group: '', plural: 'services',
    obj: { metadata: meta(), spec: { ports: [{ port: 80 }], clusterIP: '10.0.0.2', clusterIPs: ['10.0.0.2'] } },
    old: { metadata: meta(), spec: { ports: [{ port: 80 }], clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] } },
    want: ['spec.clusterIPs[0]: Invalid value: []string{"10.0.0.2"}: may not change once set'],
  },
  {
    name: 'job template restartPolicy',
    group: 'batch', plural: 'jobs',
    obj: { metadata: meta(), spec: { template: { spec: { containers: [container] } } } },
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
  },
  {
    name: 'cronjob schedule',
    group: 'batch', plural: 'cronjobs',
    obj: { metadata: meta(), spec: { schedule: '61 * * * *', jobTemplate: { spec: { template: { spec: { containers: [container], restartPolicy: 'Never' } } } } } },
    want: ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
  },
  {
    name: 'cronjob descriptor and time zone',
    group: 'batch', plural: 'cronjobs',
    obj: { metadata: meta(), spec: { schedule: '@hourly', timeZone: 'Mars/Olympus', jobTemplate: { spec: { template: { spec: { containers: [container], restartPolicy: 'Never' } } } } } },
    want: ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
  },
  {
    name: 'replication controller',
    group: '', plural: 'replicationcontrollers',
    obj: { metadata: meta(), spec: { selector: { app: 'y' }, template: template({ app: 'x' }) } },
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
  },
  {
    name: 'role rule without verbs',
    group: 'rbac.authorization.k8s.io', plural: 'roles',
    obj: { metadata: meta(), rules: [{ apiGroups: [''], resources: ['pods'] }] },
    want: ['rules[0].verbs: Required value: verbs must contain at least one value'],
  },
  {
    name: 'endpointslice address type',
    group: 'discovery.k8s.io', plural: 'endpointslices', obj: { metadata: meta(), addressType: 'IPv5', endpoints: [] },
    want: ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'],
  },
  {
    name: 'ingress path type',
    group: 'networking.k8s.io', plural: 'ingresses',
    obj: { metadata: meta(), spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } },
    want: ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
  },
  {
    name: 'lease',
    group: 'coordination.k8s.io', plural: 'leases', obj: { metadata: meta(), spec: { leaseDurationSeconds: 0 } },
    want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
  },
];

for (const c of cases) {
  test(`validation: ${c.name}`, () => {
    assert.deepEqual(check(c.group, c.plural, c.obj, c.old), c.want);
  });
}

test('label selector validation', async () => {
  const { validateLabelSelector, selectorMatches } = await import('./labels.js');
  const errs = validateLabelSelector(
    { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Near' }] },
    'spec.selector',
  ).map((e) => `${e.field}: ${e.message}`);
  assert.deepEqual(errs, [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
  ]);
  const sel = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
  assert.equal(selectorMatches(sel, { app: 'x', tier: 'web' }), true);
  assert.equal(selectorMatches(sel, { app: 'x', tier: 'db' }), false);
  assert.equal(selectorMatches(sel, { tier: 'web' }), false);
});

test('every row validates a minimal valid object of its kind without crashing', () => {
  for (const r of rows) {
    const obj: KubeObject = { metadata: r.namespaced ? { name: 'ok', namespace: 'default' } : { name: 'ok' } };
    r.defaults?.(obj);
    assert.ok(Array.isArray(r.validate?.(obj) ?? []), r.plural);
    assert.ok(Array.isArray(r.validate?.(obj, structuredClone(obj)) ?? []), r.plural);
  }
});
