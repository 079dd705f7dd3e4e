/** The built-in plugins through a real in-process ApiServer (memory store) and its client. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { ApiError } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane, type TestControlPlane } from '../../testing/control-plane.js';

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('the request was admitted');
}

const pod = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

async function withPlane(fn: (cp: TestControlPlane) => Promise<void>): Promise<void> {
  const cp = await startControlPlane({ admission: { serviceAccount: { suffix: () => 'abcde', defaultAccountRetries: 0 } } });
  try {
    await fn(cp);
  } finally {
    await cp.close();
  }
}

async function namespace(cp: TestControlPlane, name: string, labels?: Record<string, string>): Promise<void> {
  const c = cp.client();
  await c.create(Resources.namespaces, undefined, { metadata: { name, labels } });
  await c.create(Resources.serviceaccounts, name, { metadata: { name: 'default' } });
}

test('ServiceAccount: default account, token volume, missing account refused', async () => {
  await withPlane(async (cp) => {
    const c = cp.client();
    await namespace(cp, 'sa');
    const created = (await c.create(Resources.pods, 'sa', pod('p'))) as KubeObject;
    const spec = created.spec as { serviceAccountName: string; serviceAccount: string; volumes: { name: string; projected: { sources: unknown[] } }[]; containers: { volumeMounts: unknown[] }[] };
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    assert.equal(spec.volumes[0].name, 'kube-api-access-abcde');
    assert.equal(spec.volumes[0].projected.sources.length, 3);
    assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    const off = (await c.create(Resources.pods, 'sa', pod('q', { automountServiceAccountToken: false }))) as KubeObject;
    assert.equal((off.spec as { volumes?: unknown[] }).volumes, undefined);
    const err = await refusal(c.create(Resources.pods, 'sa', pod('r', { serviceAccountName: 'robot' })));
    assert.equal(err.status, 403);
    assert.equal(err.message, 'pods "r" is forbidden: error looking up service account sa/robot: serviceaccount "robot" not found');
  });
});

test('NamespaceLifecycle: system namespaces may not be deleted', async () => {
  await withPlane(async (cp) => {
    const err = await refusal(cp.client().delete(Resources.namespaces, undefined, 'kube-system'));
    assert.equal(err.status, 403);
    assert.equal(err.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });
});

test('LimitRanger: defaults appear and minimums are enforced', async () => {
  await withPlane(async (cp) => {
    const c = cp.client();
    await namespace(cp, 'lr');
    await c.create(Resources.limitranges, 'lr', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '200m' }, min: { cpu: '100m' } }] } });
    await cp.api.caches.waitFresh();
    const created = (await c.create(Resources.pods, 'lr', pod('p'))) as KubeObject;
    assert.deepEqual((created.spec as { containers: { resources: unknown }[] }).containers[0].resources, { limits: { cpu: '500m' }, requests: { cpu: '200m' } });
    const err = await refusal(c.create(Resources.pods, 'lr', pod('small', { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '50m' } } }] })));
    assert.equal(err.message, 'pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m');
  });
});

test('ResourceQuota: charges status.used and refuses past hard', async () => {
  await withPlane(async (cp) => {
    const c = cp.client();
    await namespace(cp, 'rq');
    const q = (await c.create(Resources.resourcequotas, 'rq', { metadata: { name: 'q' }, spec: { hard: { pods: '2' } } })) as KubeObject;
    q.status = { hard: { pods: '2' }, used: { pods: '0' } };
    await c.updateStatus(Resources.resourcequotas, q);
    await cp.api.caches.waitFresh();
    await c.create(Resources.pods, 'rq', pod('a'));
    await c.create(Resources.pods, 'rq', pod('b'));
    const live = (await c.get(Resources.resourcequotas, 'rq', 'q')) as KubeObject;
    assert.deepEqual((live.status as { used: unknown }).used, { pods: '2' });
    await cp.api.caches.waitFresh();
    const err = await refusal(c.create(Resources.pods, 'rq', pod('c')));
    assert.equal(err.status, 403);
    assert.equal(err.message, 'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
  });
});

test('ResourceQuota: compute quota requires requests', async () => {
  await withPlane(async (cp) => {
    const c = cp.client();
    await namespace(cp, 'rc');
    const q = (await c.create(Resources.resourcequotas, 'rc', { metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '1' } } })) as KubeObject;
    q.status = { hard: { 'requests.cpu': '1' }, used: { 'requests.cpu': '0' } };
    await c.updateStatus(Resources.resourcequotas, q);
    await cp.api.caches.waitFresh();
    const err = await refusal(c.create(Resources.pods, 'rc', pod('p')));
    assert.equal(err.message, 'pods "p" is forbidden: failed quota: compute: must specify requests.cpu for: c');
  });
});

test('PodSecurity: enforce refuses, warn adds warnings', async () => {
  await withPlane(async (cp) => {
    const c = cp.client();
    await namespace(cp, 'ps', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    const err = await refusal(c.create(Resources.pods, 'ps', pod('priv', { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] })));
    assert.equal(err.status, 403);
    assert.equal(err.message, 'pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)');
    const res = await c.raw('POST', '/api/v1/namespaces/ps/pods', pod('plain'));
    assert.equal((res as KubeObject).metadata.name, 'plain');
  });
});

test('Priority, DefaultTolerationSeconds, DefaultStorageClass', async () => {
  await withPlane(async (cp) => {
    const c = cp.client();
    await namespace(cp, 'pr');
    await c.create(Resources.priorityclasses, undefined, { metadata: { name: 'high' }, value: 1000, globalDefault: true });
    await c.create(Resources.storageclasses, undefined, { metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'x' });
    await cp.api.caches.waitFresh();
    const p = (await c.create(Resources.pods, 'pr', pod('p'))) as KubeObject;
    const spec = p.spec as { priority: number; priorityClassName: string; preemptionPolicy: string; tolerations: { key: string; tolerationSeconds: number }[] };
    assert.equal(spec.priority, 1000);
    assert.equal(spec.priorityClassName, 'high');
    assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
    assert.deepEqual(spec.tolerations.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/not-ready', 300], ['node.kubernetes.io/unreachable', 300]]);
    const err = await refusal(c.create(Resources.pods, 'pr', pod('u', { priorityClassName: 'nope' })));
    assert.equal(err.message, 'pods "u" is forbidden: no PriorityClass with name nope was found');
    const pvc = (await c.create(Resources.persistentvolumeclaims, 'pr', { metadata: { name: 'v' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })) as KubeObject;
    assert.equal((pvc.spec as { storageClassName: string }).storageClassName, 'fast');
  });
});
