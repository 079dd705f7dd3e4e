import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from './types.js';
import { startAuthzTestServer } from '../rbac/authz-harness.js';
import { forbiddenNodeLabel } from './node-restriction.js';
import { ApiError } from '../../client/errors.js';

const node1 = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const a = (verb: string, resource: string, o: Partial<Attributes> = {}): Attributes => ({
  user: node1, verb, resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', resource, subresource: '', namespace: 'default', name: '', ...o,
});

test('Node authorizer and NodeRestriction', async (t) => {
  const s = await startAuthzTestServer();
  t.after(() => s.close());
  const admin = s.as('admin', ['system:masters']);
  const pod = (name: string, nodeName: string, secret: string) => ({
    metadata: { name },
    spec: {
      nodeName,
      serviceAccountName: 'runner',
      containers: [{ name: 'c', image: 'i', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: `${name}-cm`, key: 'k' } } }] }],
      volumes: [{ name: 's', secret: { secretName: secret } }, { name: 'd', persistentVolumeClaim: { claimName: `${name}-claim` } }],
    },
  });
  await admin.raw('POST', '/api/v1/namespaces/default/pods', pod('mine', 'n1', 'mine-secret'));
  await admin.raw('POST', '/api/v1/namespaces/default/pods', pod('theirs', 'n2', 'their-secret'));
  await s.api.caches.waitFresh();

  await t.test('decisions', async () => {
    const z = s.authorization.authorizer;
    const cases: [string, Attributes, boolean][] = [
      ['secret of own pod', a('get', 'secrets', { name: 'mine-secret' }), true],
      ['secret of other node pod', a('get', 'secrets', { name: 'their-secret' }), false],
      ['list secrets', a('list', 'secrets'), false],
      ['configmap from env', a('get', 'configmaps', { name: 'mine-cm' }), true],
      ['other configmap', a('get', 'configmaps', { name: 'theirs-cm' }), false],
      ['own claim', a('get', 'persistentvolumeclaims', { name: 'mine-claim' }), true],
      ['sa token of own pod', a('create', 'serviceaccounts', { subresource: 'token', name: 'runner' }), true],
      ['sa token of unrelated sa', a('create', 'serviceaccounts', { subresource: 'token', name: 'default' }), false],
      ['own lease', a('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' }), true],
      ['other lease', a('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n2' }), false],
      ['own node patch', a('patch', 'nodes', { namespace: '', name: 'n1' }), true],
      ['other node patch', a('patch', 'nodes', { namespace: '', name: 'n2' }), false],
      ['own node status', a('patch', 'nodes', { namespace: '', name: 'n1', subresource: 'status' }), true],
      ['read nodes', a('get', 'nodes', { namespace: '', name: 'n2' }), true],
      ['watch pods', a('watch', 'pods', { namespace: '' }), true],
      ['pod status', a('update', 'pods', { subresource: 'status', name: 'mine' }), true],
      ['events', a('create', 'events'), true],
      ['deployments', a('list', 'deployments', { apiGroup: 'apps' }), false],
      ['not a node', { ...a('get', 'secrets', { name: 'mine-secret' }), user: { name: 'n1', groups: ['system:authenticated'] } }, false],
    ];
    for (const [name, attrs, want] of cases) assert.equal((await z.authorize(attrs)).decision === 'allow', want, name);
  });

  await t.test('a node may not modify another node or its pods', async () => {
    const n1 = s.as('system:node:n1', ['system:nodes']);
    await n1.raw('POST', '/api/v1/nodes', { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } } });
    await admin.raw('POST', '/api/v1/nodes', { metadata: { name: 'n2' } });
    const refused = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof ApiError) return `${e.status} ${e.message}`;
        throw e;
      }
      return 'allowed';
    };
    assert.equal(
      await refused(n1.raw('PATCH', '/api/v1/nodes/n2', { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json')),
      `403 nodes "n2" is forbidden: User "system:node:n1" cannot patch resource "nodes" in API group "" at the cluster scope: node 'n1' cannot modify node 'n2'`,
    );
    assert.equal(
      await refused(n1.raw('POST', '/api/v1/nodes', { metadata: { name: 'n3' } })),
      '403 nodes "n3" is forbidden: node "n1" is not allowed to modify node "n3"',
    );
    assert.equal(
      await refused(n1.raw('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } } }, 'application/merge-patch+json')),
      '403 nodes "n1" is forbidden: node "n1" is not allowed to modify labels: node-role.kubernetes.io/control-plane',
    );
    assert.equal(await refused(n1.raw('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'example.com/x': '1' } } }, 'application/merge-patch+json')), 'allowed');
    assert.match(await refused(n1.raw('DELETE', '/api/v1/namespaces/default/pods/theirs')), /^403 .*can only delete pods with spec.nodeName set to itself/);
    assert.match(await refused(n1.raw('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'x' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } })), /can only create mirror pods/);
  });
});

test('reserved node labels', () => {
  const cases: [string, boolean][] = [
    ['kubernetes.io/hostname', false],
    ['node.kubernetes.io/instance-type', false],
    ['kubelet.kubernetes.io/foo', false],
    ['example.com/x', false],
    ['plain', false],
    ['node-role.kubernetes.io/master', true],
    ['node-restriction.kubernetes.io/x', true],
    ['foo.k8s.io/x', true],
  ];
  for (const [key, want] of cases) assert.equal(forbiddenNodeLabel(key), want, key);
});
