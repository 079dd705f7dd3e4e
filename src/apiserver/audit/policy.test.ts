import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, parsePolicy, AuditPolicyError } from './policy.js';
import type { Attributes } from '../authz/types.js';

const policy = parsePolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  users: [system:kube-proxy]
  verbs: [watch]
- level: None
  nonResourceURLs: [/healthz*, /version]
- level: RequestResponse
  resources: [{group: "", resources: [pods/log, "*/scale"]}]
- level: Metadata
  resources: [{group: "", resources: [secrets, configmaps]}]
  omitStages: [ResponseStarted]
- level: Request
  userGroups: [system:nodes]
  namespaces: [kube-system, ""]
- level: Metadata
  resources: [{group: apps, resources: [deployments], resourceNames: [web]}]
`);

const res = (over: Partial<Attributes>): Attributes => ({ user: { name: 'alice', groups: ['system:authenticated'] }, verb: 'get', resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', namespace: 'default', name: 'p', ...over });
const nonRes = (path: string): Attributes => ({ ...res({}), resourceRequest: false, path, resource: '', namespace: '', name: '' });

test('first matching rule decides the level', () => {
  const cases: [string, Attributes, string][] = [
    ['kube-proxy watch', res({ user: { name: 'system:kube-proxy', groups: [] }, verb: 'watch' }), 'None'],
    ['kube-proxy get falls through', res({ user: { name: 'system:kube-proxy', groups: [] } }), 'None'],
    ['healthz prefix', nonRes('/healthz/etcd'), 'None'],
    ['version exact', nonRes('/version'), 'None'],
    ['other non-resource', nonRes('/openapi/v2'), 'None'],
    ['pod log', res({ subresource: 'log' }), 'RequestResponse'],
    ['any scale', res({ resource: 'replicationcontrollers', subresource: 'scale' }), 'RequestResponse'],
    ['secret', res({ resource: 'secrets' }), 'Metadata'],
    ['secret status is not secrets', res({ resource: 'secrets', subresource: 'status' }), 'None'],
    ['node in kube-system', res({ user: { name: 'n', groups: ['system:nodes'] }, namespace: 'kube-system' }), 'Request'],
    ['node cluster-scoped', res({ user: { name: 'n', groups: ['system:nodes'] }, resource: 'nodes', namespace: '' }), 'Request'],
    ['node elsewhere', res({ user: { name: 'n', groups: ['system:nodes'] } }), 'None'],
    ['named deployment', res({ apiGroup: 'apps', resource: 'deployments', name: 'web' }), 'Metadata'],
    ['other deployment', res({ apiGroup: 'apps', resource: 'deployments', name: 'db' }), 'None'],
  ];
  for (const [what, a, level] of cases) assert.equal(decide(policy, a).level, level, what);
  assert.deepEqual(decide(policy, res({ resource: 'secrets' })).omitStages, ['RequestReceived', 'ResponseStarted']);
});

test('invalid policies are refused', () => {
  for (const text of ['kind: Foo', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Loud}]', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [/x], namespaces: [a]}]']) {
    assert.throws(() => parsePolicy(text), AuditPolicyError, text);
  }
});
