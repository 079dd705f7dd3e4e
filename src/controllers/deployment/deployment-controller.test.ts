import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { realClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { ReplicaSetController } from '../replicaset/replicaset-controller.js';
import { replicaSetKind } from '../replicaset/replica-kind.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { DeploymentController } from './deployment-controller.js';
import { computeHash } from './pod-template-hash.js';
import { resolveFenceposts } from './rollout-limits.js';
import type { Deployment } from './deployment-types.js';

test('fenceposts round surge up and unavailable down', () => {
  const d = (replicas: number, maxSurge?: number | string, maxUnavailable?: number | string) =>
    ({ metadata: {}, spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } } }) as Deployment;
  assert.deepEqual(resolveFenceposts(d(10)), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts(d(1)), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(d(4, 0, 0)), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts(d(3, '50%', '50%')), { surge: 2, unavailable: 1 });
});

test('pod-template-hash is stable and ignores key order', () => {
  const a = computeHash({ metadata: { labels: { a: '1', b: '2' } }, spec: { x: 1 } });
  const b = computeHash({ spec: { x: 1 }, metadata: { labels: { b: '2', a: '1' } } });
  assert.equal(a, b);
  assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.notEqual(a, computeHash({ metadata: { labels: { a: '1', b: '2' } }, spec: { x: 1 } }, 1));
});

interface Harness {
  client: ApiClient;
  /** Plays the kubelet: every pod not yet ready becomes Running and Ready. */
  kubelet(enabled: boolean): void;
  until(pred: () => Promise<boolean>, observe?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const cp = await startControlPlane();
  const client = cp.client('kube-controller-manager');
  const ctx: ControllerContext = { client, informers: cp.informers(client), clock: realClock, log: silentLogger, recorder: (c) => new EventRecorder(client, realClock, silentLogger, c), config: defaultControllerConfig };
  const ac = new AbortController();
  const rs = new ReplicaSetController(ctx, replicaSetKind);
  const dc = new DeploymentController(ctx);
  ctx.informers.start(ac.signal);
  const running = Promise.all([rs.run(ac.signal), dc.run(ac.signal)]);
  let kubelet = true;
  const playKubelet = async () => {
    if (!kubelet) return;
    for (const p of (await client.list(Resources.pods, 'default')).items) {
      const conds = ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (p.metadata.deletionTimestamp || conds.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) }] };
      await client.updateStatus(Resources.pods, p).catch(() => undefined);
    }
  };
  return {
    client,
    kubelet: (on) => void (kubelet = on),
    async until(pred, observe) {
      for (let i = 0; i < 3000; i++) {
        await observe?.();
        if (await pred()) return;
        await playKubelet();
        await new Promise((r) => setTimeout(r, 2));
      }
      assert.fail('condition not reached');
    },
    async close() {
      ac.abort();
      await running;
      await cp.close();
    },
  };
}

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } }, ...extra },
});

async function state(client: ApiClient) {
  const d = await client.get<Deployment>(Resources.deployments, 'default', 'web');
  const sets = (await client.list(Resources.replicasets, 'default')).items;
  const pods = (await client.list(Resources.pods, 'default')).items.filter((p) => !p.metadata.deletionTimestamp);
  return { d, sets, pods };
}

const image = (o: KubeObject) => ((o.spec as { containers?: { image: string }[] }).containers ?? [])[0]?.image;
const templateImage = (rs: KubeObject) => image((rs.spec as { template: KubeObject }).template);
const done = (d: Deployment) =>
  (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
  (d.status?.updatedReplicas ?? 0) === 10 && (d.status?.replicas ?? 0) === 10 && (d.status?.availableReplicas ?? 0) === 10;

test('RollingUpdate of 10 from A to B stays within maxSurge, then undo revives the old set', async () => {
  const h = await harness();
  try {
    const { client } = h;
    await client.create(Resources.deployments, 'default', deployment('img:a'));
    await h.until(async () => done((await state(client)).d));
    let s = await state(client);
    assert.equal(s.sets.length, 1);
    const rsA = s.sets[0];
    assert.equal(rsA.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rsA.metadata.name, `web-${rsA.metadata.labels?.['pod-template-hash']}`);
    assert.equal(s.d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(s.d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');

    await client.patch(Resources.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:b' }] } } } });
    let maxPods = 0;
    await h.until(
      async () => done(s.d) && s.pods.every((p) => image(p) === 'img:b'),
      async () => {
        s = await state(client);
        maxPods = Math.max(maxPods, s.pods.length);
      },
    );
    assert.ok(maxPods <= 13, `at most 10 + 25% surge pods, saw ${maxPods}`);
    const rsB = s.sets.find((rs) => templateImage(rs) === 'img:b')!;
    assert.equal(rsB.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal((s.sets.find((rs) => rs.metadata.uid === rsA.metadata.uid)!.spec as { replicas: number }).replicas, 0);
    const events = (await client.list(Resources.events, 'default')).items.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => String(e.message));
    assert.ok(events.includes(`Scaled up replica set ${rsA.metadata.name} to 10`), events.join('\n'));
    assert.ok(events.some((m) => new RegExp(`^Scaled down replica set ${rsA.metadata.name} to \\d+ from 10$`).test(m)), events.join('\n'));

    // kubectl rollout undo: the template goes back; the old set becomes the new one with revision 3.
    await client.patch(Resources.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:a' }] } } } });
    await h.until(async () => done(s.d) && s.pods.every((p) => image(p) === 'img:a'), async () => void (s = await state(client)));
    const revived = s.sets.find((rs) => rs.metadata.uid === rsA.metadata.uid)!;
    assert.equal(revived.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(revived.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(s.sets.length, 2);
  } finally {
    await h.close();
  }
});

test('Recreate scales the old set to 0 before the new one starts', async () => {
  const h = await harness();
  try {
    const { client } = h;
    await client.create(Resources.deployments, 'default', deployment('img:a', { replicas: 3, strategy: { type: 'Recreate' } }));
    let s = await state(client);
    const ready3 = (d: Deployment) => (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status?.updatedReplicas === 3 && d.status?.availableReplicas === 3 && d.status?.replicas === 3;
    await h.until(async () => ready3((s = await state(client)).d));
    await client.patch(Resources.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:b' }] } } } });
    let mixed = false;
    await h.until(
      async () => ready3(s.d) && s.pods.every((p) => image(p) === 'img:b'),
      async () => {
        s = await state(client);
        if (new Set(s.pods.map(image)).size > 1) mixed = true;
      },
    );
    assert.equal(mixed, false, 'old and new pods never run together');
  } finally {
    await h.close();
  }
});

test('paused Deployments scale but do not roll out', async () => {
  const h = await harness();
  try {
    const { client } = h;
    await client.create(Resources.deployments, 'default', deployment('img:a', { replicas: 2 }));
    let s = await state(client);
    await h.until(async () => ((s = await state(client)).d.status?.availableReplicas ?? 0) === 2);
    await client.patch(Resources.deployments, 'default', 'web', 'merge', { spec: { paused: true, replicas: 4, template: { spec: { containers: [{ name: 'c', image: 'img:b' }] } } } });
    await h.until(async () => ((s = await state(client)).d.status?.availableReplicas ?? 0) === 4 && s.pods.length === 4);
    assert.equal(s.sets.length, 1);
    assert.ok(s.pods.every((p) => image(p) === 'img:a'));
    assert.equal(s.d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'DeploymentPaused');
  } finally {
    await h.close();
  }
});

test('a rollout whose pods never become ready exceeds its progress deadline', async () => {
  const h = await harness();
  try {
    const { client } = h;
    h.kubelet(false);
    await client.create(Resources.deployments, 'default', deployment('img:a', { replicas: 1, progressDeadlineSeconds: 1 }));
    let s = await state(client);
    await h.until(async () => (s = await state(client)).d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded');
    const c = s.d.status!.conditions!.find((x) => x.type === 'Progressing')!;
    assert.equal(c.status, 'False');
    assert.match(c.message!, /^ReplicaSet "web-\w+" has timed out progressing\.$/);
    assert.equal(s.d.status?.conditions?.find((x) => x.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
  } finally {
    await h.close();
  }
});
