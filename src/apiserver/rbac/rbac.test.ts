import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../client/errors.js';
import type { ApiClient } from '../../client/client.js';
import { startAuthzTestServer } from './authz-harness.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

async function status(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
    return { code: 200, message: '' };
  } catch (e) {
    if (e instanceof ApiError) return { code: e.status, message: e.message };
    throw e;
  }
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sar = (c: ApiClient, resourceAttributes: Record<string, string>) =>
  c.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes } }) as Promise<{ status: { allowed: boolean } }>;

test('RBAC end to end: defaults, bindings, aggregation, escalation, reviews', async (t) => {
  const s = await startAuthzTestServer();
  t.after(() => s.close());
  const admin = s.as('admin', ['system:masters']);
  const viewer = s.as('system:serviceaccount:default:viewer', ['system:serviceaccounts', 'system:serviceaccounts:default']);
  const anon = s.as('system:anonymous', ['system:unauthenticated']);

  await t.test('default policy exists with upstream labels', async () => {
    const role = (await admin.raw('GET', `${RBAC}/clusterroles/cluster-admin`)) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
    assert.equal(role.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
    assert.equal(role.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true');
  });

  await t.test('aggregation fills view, edit and admin', async () => {
    for (const name of ['view', 'edit', 'admin']) {
      await eventually(`${name} rules`, async () => {
        const r = (await admin.raw('GET', `${RBAC}/clusterroles/${name}`)) as { rules?: { resources?: string[] }[] };
        return r.rules?.some((x) => x.resources?.includes('pods')) ? true : undefined;
      });
    }
    const edit = (await admin.raw('GET', `${RBAC}/clusterroles/edit`)) as { rules: { resources?: string[]; verbs: string[] }[] };
    assert.ok(edit.rules.some((r) => r.resources?.includes('secrets') && r.verbs.includes('create')), 'edit may write secrets');
    const view = (await admin.raw('GET', `${RBAC}/clusterroles/view`)) as { rules: { resources?: string[] }[] };
    assert.ok(!view.rules.some((r) => r.resources?.includes('secrets')), 'view never reads secrets');
  });

  await t.test('anonymous reaches /version but not /', async () => {
    assert.equal((await status(anon.raw('GET', '/version'))).code, 200);
    const root = await status(anon.raw('GET', '/'));
    assert.equal(root.code, 403);
    assert.equal(root.message, 'forbidden: User "system:anonymous" cannot get path "/"');
  });

  await t.test('a rolebinding to view grants exactly view', async () => {
    const denied = await status(viewer.raw('GET', '/api/v1/namespaces/default/pods'));
    assert.equal(denied.code, 403);
    assert.equal(denied.message, 'pods is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "pods" in API group "" in the namespace "default"');
    await admin.raw('POST', `${RBAC}/namespaces/default/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'viewercanview' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: 'default' }],
    });
    await eventually('binding effective', async () => ((await status(viewer.raw('GET', '/api/v1/namespaces/default/pods'))).code === 200 ? true : undefined));
    assert.equal((await status(viewer.raw('GET', '/api/v1/namespaces/kube-system/pods'))).code, 403, 'other namespaces stay closed');
    assert.equal((await status(viewer.raw('GET', '/api/v1/namespaces/default/secrets'))).code, 403);
    assert.equal((await sar(viewer, { namespace: 'default', verb: 'list', resource: 'pods' })).status.allowed, true);
    assert.equal((await sar(viewer, { namespace: 'default', verb: 'delete', resource: 'pods' })).status.allowed, false);
  });

  await t.test('SubjectAccessReview and rules review', async () => {
    const r = (await admin.raw('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      spec: { user: 'system:serviceaccount:default:viewer', resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
    })) as { status: { allowed: boolean } };
    assert.equal(r.status.allowed, true);
    const rules = (await viewer.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { spec: { namespace: 'default' } })) as {
      status: { resourceRules: { resources: string[] }[]; nonResourceRules: { nonResourceURLs: string[] }[] };
    };
    assert.ok(rules.status.resourceRules.some((x) => x.resources.includes('pods')));
    assert.ok(rules.status.nonResourceRules.some((x) => x.nonResourceURLs.includes('/version')));
  });

  await t.test('escalation is refused in upstream words, bind and escalate allow it', async () => {
    const dev = s.as('dev', ['devs']);
    // dev may manage roles and bindings in default and holds view there.
    await admin.raw('POST', `${RBAC}/namespaces/default/roles`, {
      metadata: { name: 'rbac-manager' }, rules: [{ verbs: ['create', 'get', 'list', 'update', 'delete'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'] }, { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    });
    await admin.raw('POST', `${RBAC}/namespaces/default/rolebindings`, {
      metadata: { name: 'dev-manager' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rbac-manager' }, subjects: [{ kind: 'User', name: 'dev' }],
    });
    const tooMuch = { metadata: { name: 'deleter' }, rules: [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }] };
    const refused = await eventually('dev can create roles', async () => {
      const r = await status(dev.raw('POST', `${RBAC}/namespaces/default/roles`, tooMuch));
      return r.code === 403 && r.message.includes('attempting') ? r : undefined;
    });
    assert.equal(
      refused.message,
      'roles.rbac.authorization.k8s.io "deleter" is forbidden: user "dev" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
    );
    assert.equal((await status(dev.raw('POST', `${RBAC}/namespaces/default/roles`, { metadata: { name: 'reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }))).code, 200);
    const bindEdit = { metadata: { name: 'x-edit' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'x' }] };
    assert.equal((await status(dev.raw('POST', `${RBAC}/namespaces/default/rolebindings`, bindEdit))).code, 403);
    await admin.raw('POST', `${RBAC}/clusterroles`, { metadata: { name: 'bind-edit' }, rules: [{ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['edit'] }] });
    await admin.raw('POST', `${RBAC}/clusterrolebindings`, { metadata: { name: 'dev-bind-edit' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'bind-edit' }, subjects: [{ kind: 'Group', name: 'devs' }] });
    await eventually('bind allowed', async () => ((await status(dev.raw('POST', `${RBAC}/namespaces/default/rolebindings`, bindEdit))).code === 200 ? true : undefined));
  });

  await t.test('in-process components hold what they need', async () => {
    const kcm = s.as('system:kube-controller-manager');
    assert.equal((await status(kcm.raw('GET', '/apis/apps/v1/replicasets'))).code, 200);
    assert.equal((await status(kcm.raw('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } }))).code, 200);
    const sched = s.as('system:kube-scheduler');
    assert.equal((await status(sched.raw('GET', '/api/v1/pods'))).code, 200);
    assert.equal((await status(sched.raw('GET', '/api/v1/secrets'))).code, 403);
  });
});
