import { setMaxListeners } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { isNotFound } from '../../client/errors.js';
import { Resources, type ResourceRef } from '../../client/resources.js';
import { startControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { GarbageCollector } from './garbage-collector.js';

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

async function setup(): Promise<{ cp: TestControlPlane; ctx: ControllerContext; stop: () => Promise<void> }> {
  const cp = await startControlPlane();
  const client = cp.client('garbage-collector');
  const informers = cp.informers(client);
  const ctx: ControllerContext = {
    client,
    informers,
    clock: cp.clock,
    log: cp.log,
    recorder: (c) => new EventRecorder(client, cp.clock, cp.log, c),
    config: defaultControllerConfig,
  };
  const gc = new GarbageCollector(ctx);
  const ac = new AbortController();
  setMaxListeners(200, ac.signal); // one listener per informer
  informers.start(ac.signal);
  const done = gc.run(ac.signal);
  return {
    cp,
    ctx,
    stop: async () => {
      ac.abort();
      await done;
      await cp.close();
    },
  };
}

async function exists(cp: TestControlPlane, r: ResourceRef, name: string): Promise<KubeObject | undefined> {
  try {
    return await cp.client().get(r, 'default', name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Polls until `check` holds (bounded number of short waits). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition never held');
}

const ref = (o: KubeObject, kind: string, apiVersion: string) => ({ apiVersion, kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true });

/** A Deployment → ReplicaSet → two pods chain, owned by hand. */
async function createChain(cp: TestControlPlane): Promise<{ deploy: KubeObject; rs: KubeObject }> {
  const c = cp.client();
  const deploy = await c.create(Resources.deployments, 'default', { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: labels }, template } });
  const rs = await c.create(Resources.replicasets, 'default', {
    metadata: { name: 'web-1', ownerReferences: [ref(deploy, 'Deployment', 'apps/v1')] },
    spec: { replicas: 2, selector: { matchLabels: labels }, template },
  });
  for (const n of ['web-1-a', 'web-1-b']) {
    await c.create(Resources.pods, 'default', { metadata: { name: n, labels, ownerReferences: [ref(rs, 'ReplicaSet', 'apps/v1')] }, spec: template.spec });
  }
  return { deploy, rs };
}

test('background deletion removes the ReplicaSet and its pods after the Deployment is gone', async () => {
  const { cp, stop } = await setup();
  try {
    await createChain(cp);
    await cp.client().delete(Resources.deployments, 'default', 'web', { propagationPolicy: 'Background' });
    await eventually(async () => !(await exists(cp, Resources.replicasets, 'web-1')));
    await eventually(async () => !(await exists(cp, Resources.pods, 'web-1-a')) && !(await exists(cp, Resources.pods, 'web-1-b')));
  } finally {
    await stop();
  }
});

test('foreground deletion keeps the owner until its blocking dependents are gone', async () => {
  const { cp, stop } = await setup();
  try {
    await createChain(cp);
    // Hold one pod with a finalizer so the chain cannot finish yet.
    await cp.client().patch(Resources.pods, 'default', 'web-1-a', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    await cp.client().delete(Resources.deployments, 'default', 'web', { propagationPolicy: 'Foreground' });
    await eventually(async () => (await exists(cp, Resources.pods, 'web-1-a'))?.metadata.deletionTimestamp !== undefined);
    await eventually(async () => !(await exists(cp, Resources.pods, 'web-1-b')));
    const rs = await exists(cp, Resources.replicasets, 'web-1');
    const deploy = await exists(cp, Resources.deployments, 'web');
    assert.ok(rs?.metadata.finalizers?.includes('foregroundDeletion'), 'the ReplicaSet waits for its pods');
    assert.ok(deploy?.metadata.finalizers?.includes('foregroundDeletion'), 'the Deployment waits for its ReplicaSet');
    await cp.client().patch(Resources.pods, 'default', 'web-1-a', 'merge', { metadata: { finalizers: null } });
    await eventually(async () => !(await exists(cp, Resources.deployments, 'web')));
    assert.equal(await exists(cp, Resources.replicasets, 'web-1'), undefined);
  } finally {
    await stop();
  }
});

test('orphan deletion strips the owner references and keeps the dependents', async () => {
  const { cp, stop } = await setup();
  try {
    const { rs } = await createChain(cp);
    await cp.client().delete(Resources.replicasets, 'default', 'web-1', { propagationPolicy: 'Orphan' });
    await eventually(async () => !(await exists(cp, Resources.replicasets, 'web-1')));
    for (const n of ['web-1-a', 'web-1-b']) {
      const pod = await exists(cp, Resources.pods, n);
      assert.ok(pod, `${n} is kept`);
      assert.ok(!(pod.metadata.ownerReferences ?? []).some((r) => r.uid === rs.metadata.uid), `${n} no longer names its owner`);
    }
  } finally {
    await stop();
  }
});

test('a dependent whose owner never existed is collected; one with a live owner is not', async () => {
  const { cp, stop } = await setup();
  try {
    const c = cp.client();
    const owner = await c.create(Resources.configmaps, 'default', { metadata: { name: 'owner' } });
    await c.create(Resources.configmaps, 'default', { metadata: { name: 'kept', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] } });
    await c.create(Resources.configmaps, 'default', { metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }] } });
    await eventually(async () => !(await exists(cp, Resources.configmaps, 'dangling')));
    assert.ok(await exists(cp, Resources.configmaps, 'kept'));
  } finally {
    await stop();
  }
});
