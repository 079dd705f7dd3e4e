import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { podsToDelete } from './pod-deletion-order.js';
import { replicaSetKind, replicationControllerKind } from './replica-kind.js';
import { ReplicaSetController } from './replicaset-controller.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; created?: number; labels?: Record<string, string>; owner?: KubeObject } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: iso(o.created ?? T0),
      labels: o.labels ?? { app: 'web' },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner.metadata.name!, uid: o.owner.metadata.uid!, controller: true }] } : {}),
    },
    spec: { nodeName: o.node, containers: [{ name: 'c', image: 'x' }] },
    status: { phase: o.phase ?? 'Pending', conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.created ?? T0) }] : [] },
  };
}

test('surplus pods are deleted in upstream order', () => {
  const pods = [
    pod('running-ready-old', { node: 'n1', phase: 'Running', ready: true, created: T0 - 3_600_000 }),
    pod('pending-unscheduled', {}),
    pod('running-notready', { node: 'n1', phase: 'Running' }),
    pod('pending-scheduled', { node: 'n1', phase: 'Pending' }),
    pod('running-ready-new', { node: 'n1', phase: 'Running', ready: true, created: T0 - 1000 }),
  ];
  const order = podsToDelete(pods, [], 4, T0).map((p) => p.metadata.name);
  assert.deepEqual(order, ['pending-unscheduled', 'pending-scheduled', 'running-notready', 'running-ready-new']);
});

test('RC selector is a label map; an empty selector manages nothing', () => {
  const rc = { metadata: { name: 'x' }, spec: { selector: { app: 'a' } } } as KubeObject;
  assert.deepEqual(replicationControllerKind.selector(rc), [{ key: 'app', op: 'in', values: ['a'] }]);
  assert.equal(replicaSetKind.selector({ metadata: {}, spec: { selector: {} } } as KubeObject), undefined);
});

async function setup() {
  const cp = await startControlPlane();
  const client = cp.client('replicaset-controller');
  const clock = new FakeClock();
  const informers = cp.informers(client);
  const ctx: ControllerContext = { client, informers, clock, log: silentLogger, recorder: (c) => new EventRecorder(client, clock, silentLogger, c), config: defaultControllerConfig };
  return { cp, client, ctx };
}

function rsObject(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

test('sync creates missing pods once; expectations stop a second create on a stale cache', async () => {
  const { cp, client, ctx } = await setup();
  try {
    const rs = await client.create(Resources.replicasets, 'default', rsObject(3));
    const c = new ReplicaSetController(ctx, replicaSetKind);
    c.owners.seed([rs]);
    c.pods.seed([]);
    await c.sync(keyOf(rs));
    let pods = (await client.list(Resources.pods, 'default')).items;
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-/);
      assert.equal(p.metadata.ownerReferences?.[0].uid, rs.metadata.uid);
      assert.equal(p.metadata.labels?.app, 'web');
    }
    // The pod cache has not seen the creates: a second pass must not create again.
    await c.sync(keyOf(rs));
    pods = (await client.list(Resources.pods, 'default')).items;
    assert.equal(pods.length, 3);
    const fresh = await client.get(Resources.replicasets, 'default', 'web');
    assert.equal((fresh.status as { replicas: number }).replicas, 0);
  } finally {
    await cp.close();
  }
});

test('sync adopts orphans, releases non-matching pods, deletes surplus not-ready pods first', async () => {
  const { cp, client, ctx } = await setup();
  try {
    const rs = await client.create(Resources.replicasets, 'default', rsObject(2));
    const created: KubeObject[] = [];
    for (const [name, labels] of [['a', { app: 'web' }], ['b', { app: 'web' }], ['c', { app: 'web' }], ['d', { app: 'web' }]] as const) {
      created.push(await client.create(Resources.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'x' }] } }));
    }
    // a and b are ready and running; c, d are pending.
    for (const p of created.slice(0, 2)) {
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(T0) }] };
      Object.assign(p, await client.updateStatus(Resources.pods, p));
    }
    const stranger = await client.create(Resources.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'other', labels: { app: 'other' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid!, controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const c = new ReplicaSetController(ctx, replicaSetKind);
    c.owners.seed([rs]);
    c.pods.seed([...created.map((p) => p), stranger]);
    await c.sync(keyOf(rs));
    const pods = (await client.list(Resources.pods, 'default')).items;
    const names = pods.map((p) => p.metadata.name).sort();
    assert.deepEqual(names, ['a', 'b', 'other']);
    for (const p of pods.filter((x) => x.metadata.name !== 'other')) assert.equal(p.metadata.ownerReferences?.[0].uid, rs.metadata.uid);
    assert.equal(pods.find((p) => p.metadata.name === 'other')!.metadata.ownerReferences, undefined);
    const status = (await client.get(Resources.replicasets, 'default', 'web')).status as Record<string, number>;
    assert.equal(status.replicas, 4);
    assert.equal(status.readyReplicas, 2);
  } finally {
    await cp.close();
  }
});

test('a ReplicationController runs for real and reports ready replicas', async () => {
  const { cp, client, ctx } = await setup();
  const ac = new AbortController();
  try {
    const c = new ReplicaSetController(ctx, replicationControllerKind);
    ctx.informers.start(ac.signal);
    const running = c.run(ac.signal);
    await client.create(Resources.replicationcontrollers, 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'vault' },
      spec: { replicas: 2, selector: { app: 'vault' }, template: { metadata: { labels: { app: 'vault' } }, spec: { containers: [{ name: 'c', image: 'vault' }] } } },
    });
    let pods: KubeObject[] = [];
    for (let i = 0; i < 200 && pods.length < 2; i++) {
      await new Promise((r) => setImmediate(r));
      pods = (await client.list(Resources.pods, 'default')).items;
    }
    assert.equal(pods.length, 2);
    for (const p of pods) {
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(T0) }] };
      await client.updateStatus(Resources.pods, p);
    }
    let ready = 0;
    for (let i = 0; i < 200 && ready < 2; i++) {
      await new Promise((r) => setImmediate(r));
      ready = ((await client.get(Resources.replicationcontrollers, 'default', 'vault')).status as { readyReplicas?: number }).readyReplicas ?? 0;
    }
    assert.equal(ready, 2);
    const events = (await client.list(Resources.events, 'default')).items.filter((e) => e.reason === 'SuccessfulCreate');
    assert.ok(events.length >= 1);
    assert.match(String(events[0].message), /^Created pod: vault-/);
    ac.abort();
    await running;
  } finally {
    ac.abort();
    await cp.close();
  }
});
