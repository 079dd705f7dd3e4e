/**
 * Node lifecycle end to end on a fake clock: a node whose Lease stops being renewed goes
 * Unknown, gets the unreachable taints, and its pods are evicted as their tolerations say;
 * it recovers when its kubelet reports again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../base/clock.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339, rfc3339Micro } from '../../client/time-format.js';
import { startCluster, until, type TestCluster } from '../common/cluster-harness-e2e.test.js';
import { nodeLifecycleController } from './index.js';

type Taint = { key: string; effect: string; timeAdded?: string };
type Cond = { type: string; status: string; reason?: string; lastHeartbeatTime?: string };
const taintsOf = (n: KubeObject) => ((n.spec ?? {}) as { taints?: Taint[] }).taints ?? [];
const condOf = (o: KubeObject, type: string) => (((o.status ?? {}) as { conditions?: Cond[] }).conditions ?? []).find((c) => c.type === type);
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const GRACE_MS = 40_000;

async function heartbeat(c: TestCluster, clock: FakeClock, name: string, postStatus: boolean): Promise<void> {
  const lease = await c.client.get(Resources.leases, 'kube-node-lease', name);
  await c.client.update(Resources.leases, { ...lease, spec: { ...(lease.spec as object), renewTime: rfc3339Micro(clock.now()) } });
  if (!postStatus) return;
  const node = await c.client.get(Resources.nodes, undefined, name);
  const now = rfc3339(clock.now());
  await c.client.updateStatus(Resources.nodes, { ...node, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] } });
}

async function addNode(c: TestCluster, clock: FakeClock, name: string): Promise<void> {
  await c.client.create(Resources.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await c.client.create(Resources.leases, 'kube-node-lease', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(clock.now()) },
  });
  await heartbeat(c, clock, name, true);
}

async function addPod(c: TestCluster, name: string, nodeName: string, tolerations?: unknown[]): Promise<void> {
  const pod = await c.client.create(Resources.pods, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, containers: [{ name: 'web', image: 'nginx:1.27' }], ...(tolerations ? { tolerations } : {}) },
  });
  await c.client.updateStatus(Resources.pods, { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.UTC(2026, 0, 1)) }] } });
}

const pod = (c: TestCluster, name: string) => c.client.get(Resources.pods, 'default', name);

test('an unreachable node is tainted, its pods evicted per tolerationSeconds, and it recovers', async () => {
  const clock = new FakeClock();
  const c = await startCluster({ clock, controllers: [nodeLifecycleController], config: { nodeMonitorGracePeriodMs: GRACE_MS } });
  try {
    await addNode(c, clock, 'lost');
    await addNode(c, clock, 'alive');
    await addPod(c, 'p-default', 'lost');
    await addPod(c, 'p-tol30', 'lost', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    await addPod(c, 'p-forever', 'lost', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }]);
    await addPod(c, 'p-other', 'alive');
    const defaults = ((await pod(c, 'p-default')).spec as { tolerations?: { key: string; tolerationSeconds?: number }[] }).tolerations ?? [];
    assert.equal(defaults.find((t) => t.key === UNREACHABLE)?.tolerationSeconds, 300, 'DefaultTolerationSeconds admission');

    // Only "alive" keeps renewing its Lease.
    const lost = await until('lost goes Unknown', async () => {
      await heartbeat(c, clock, 'alive', false);
      clock.advance(2000);
      const n = await c.client.get(Resources.nodes, undefined, 'lost');
      return taintsOf(n).length === 2 ? n : undefined;
    });
    const ready = condOf(lost, 'Ready')!;
    assert.deepEqual([ready.status, ready.reason], ['Unknown', 'NodeStatusUnknown']);
    assert.deepEqual(taintsOf(lost).map((t) => `${t.key}:${t.effect}`).sort(), [`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    const tainted = parseTime(taintsOf(lost).find((t) => t.effect === 'NoExecute')!.timeAdded)!;
    const alive = await c.client.get(Resources.nodes, undefined, 'alive');
    assert.deepEqual([condOf(alive, 'Ready')?.status, taintsOf(alive)], ['True', []]);
    await until('pods on lost marked not ready', async () => condOf(await pod(c, 'p-forever'), 'Ready')?.status === 'False');

    // Eviction time = deletionTimestamp minus the pod's 30 s grace period.
    const evictedAfter = async (name: string, step: number) => {
      const p = await until(`${name} evicted`, async () => {
        await heartbeat(c, clock, 'alive', true);
        clock.advance(step);
        const cur = await pod(c, name);
        return cur.metadata.deletionTimestamp ? cur : undefined;
      });
      assert.equal(condOf(p, 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
      return parseTime(p.metadata.deletionTimestamp)! - 30_000 - tainted;
    };
    const tol30 = await evictedAfter('p-tol30', 1000);
    assert.ok(tol30 >= 30_000 && tol30 <= 32_000, `p-tol30 evicted ${tol30} ms after the taint`);
    assert.equal((await pod(c, 'p-default')).metadata.deletionTimestamp, undefined);
    const dflt = await evictedAfter('p-default', 5000);
    assert.ok(dflt >= 300_000 && dflt <= 306_000, `p-default evicted ${dflt} ms after the taint`);
    assert.equal((await pod(c, 'p-forever')).metadata.deletionTimestamp, undefined, 'tolerated forever');
    assert.equal((await pod(c, 'p-other')).metadata.deletionTimestamp, undefined, 'healthy node untouched');

    // The kubelet comes back: lease renewed and Ready posted.
    const back = await until('lost recovers', async () => {
      await heartbeat(c, clock, 'lost', true);
      await heartbeat(c, clock, 'alive', false);
      clock.advance(1000);
      const n = await c.client.get(Resources.nodes, undefined, 'lost');
      return taintsOf(n).length === 0 ? n : undefined;
    });
    assert.equal(condOf(back, 'Ready')?.status, 'True');

    // Any NoExecute taint the pod does not tolerate evicts it at once.
    await c.client.patch(Resources.nodes, undefined, 'lost', 'merge', { spec: { taints: [{ key: 'example.com/drain', effect: 'NoExecute' }] } });
    await until('p-forever evicted by an untolerated taint', async () => !!(await pod(c, 'p-forever')).metadata.deletionTimestamp);
  } finally {
    await c.close();
  }
});
