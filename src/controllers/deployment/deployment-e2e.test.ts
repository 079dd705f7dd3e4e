/**
 * Deployments end to end: the real deployment and ReplicaSet controllers, the scheduler and
 * simulated nodes on an in-process control plane.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { Resources } from '../../client/resources.js';
import { startCluster, until, type TestCluster } from '../common/cluster-harness-e2e.test.js';
import { replicaSetController } from '../replicaset/index.js';
import { deploymentController } from './index.js';

type Deployment = KubeObject & {
  spec: { replicas: number; paused?: boolean; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: { name: string; image: string; readinessProbe?: unknown }[] } } };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string; reason?: string }[] };
};
type ReplicaSet = KubeObject & { spec: { replicas: number }; status?: { replicas?: number } };

const NEVER_READY = { exec: { command: ['true'] }, initialDelaySeconds: 3600 };

function deployment(name: string, replicas: number, extra: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '10m' } } }] } },
      ...extra,
    },
  };
}

const get = (c: TestCluster, name: string) => c.client.get<Deployment>(Resources.deployments, 'default', name);
const replicaSets = async (c: TestCluster, app: string) =>
  (await c.client.list<ReplicaSet>(Resources.replicasets, 'default', { labelSelector: `app=${app}` })).items.sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));

async function complete(c: TestCluster, name: string): Promise<Deployment> {
  return until(`${name} complete`, async () => {
    const d = await get(c, name);
    const s = d.status ?? {};
    const done = s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas && s.replicas === d.spec.replicas && s.availableReplicas === d.spec.replicas;
    return done ? d : undefined;
  });
}

async function edit(c: TestCluster, name: string, change: (d: Deployment) => void): Promise<void> {
  await until(`update ${name}`, async () => {
    const d = await get(c, name);
    change(d);
    await c.client.update(Resources.deployments, d);
    return true;
  });
}

async function cluster(): Promise<TestCluster> {
  return startCluster({ controllers: [deploymentController, replicaSetController], scheduler: true, simNodes: 2 });
}

test('scaling mid-rollout grows old and new ReplicaSets in proportion', async () => {
  const c = await cluster();
  try {
    await c.client.create(Resources.deployments, 'default', deployment('prop', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await complete(c, 'prop');
    // The new pods never become ready, so the rollout stops at old=8, new=5 (10+3 surge, 10-2 available).
    await edit(c, 'prop', (d) => {
      d.spec.template.spec.containers[0].image = 'nginx:1.28';
      d.spec.template.spec.containers[0].readinessProbe = NEVER_READY;
    });
    await until('rollout stuck at 8+5', async () => {
      const rss = await replicaSets(c, 'prop');
      return rss.length === 2 && rss[0].spec.replicas === 8 && rss[1].spec.replicas === 5 && rss[0].status?.replicas === 8;
    });
    await edit(c, 'prop', (d) => (d.spec.replicas = 20));
    // Upstream: each ReplicaSet grows to round(size × 23 / 13), the new max-replicas over the
    // annotated one, largest first and capped by the 10 to add: old 8→14, new 5→9.
    const rss = await until('proportional scale', async () => {
      const list = await replicaSets(c, 'prop');
      return list.length === 2 && list[0].spec.replicas + list[1].spec.replicas === 23 ? list : undefined;
    });
    assert.deepEqual(rss.map((r) => r.spec.replicas), [14, 9]);
    for (const rs of rss) assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
    assert.equal(rss[0].metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '23');
  } finally {
    await c.close();
  }
});

test('revisionHistoryLimit deletes old ReplicaSets; change-cause is copied to each new one', async () => {
  const c = await cluster();
  try {
    await c.client.create(Resources.deployments, 'default', {
      ...(deployment('hist', 2, { revisionHistoryLimit: 1 }) as object),
      metadata: { name: 'hist', annotations: { 'kubernetes.io/change-cause': 'v1' } },
    });
    await complete(c, 'hist');
    for (const v of ['1.28', '1.29']) {
      await edit(c, 'hist', (d) => {
        d.spec.template.spec.containers[0].image = `nginx:${v}`;
        d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': `image ${v}` };
      });
      await complete(c, 'hist');
    }
    const rss = await until('old ReplicaSets cleaned up', async () => {
      const list = await replicaSets(c, 'hist');
      return list.length === 2 ? list : undefined;
    });
    assert.deepEqual(rss.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']), ['2', '3']);
    assert.deepEqual(rss.map((r) => r.metadata.annotations?.['kubernetes.io/change-cause']), ['image 1.28', 'image 1.29']);
    assert.deepEqual(rss.map((r) => r.spec.replicas), [0, 2]);
  } finally {
    await c.close();
  }
});

test('minReadySeconds: availableReplicas lags readyReplicas', async () => {
  const c = await cluster();
  try {
    await c.client.create(Resources.deployments, 'default', deployment('slow', 2, { minReadySeconds: 1 }));
    const early = await until('ready before available', async () => {
      const d = await get(c, 'slow');
      return d.status?.readyReplicas === 2 ? d : undefined;
    });
    assert.ok((early.status?.availableReplicas ?? 0) < 2, `available ${early.status?.availableReplicas} while just ready`);
    const d = await complete(c, 'slow');
    assert.equal(d.status?.availableReplicas, 2);
    assert.equal(d.status?.conditions?.find((x) => x.type === 'Available')?.status, 'True');
  } finally {
    await c.close();
  }
});

test('a paused Deployment does not roll out until resumed', async () => {
  const c = await cluster();
  try {
    await c.client.create(Resources.deployments, 'default', deployment('pz', 2));
    await complete(c, 'pz');
    await edit(c, 'pz', (d) => {
      d.spec.paused = true;
      d.spec.template.spec.containers[0].image = 'nginx:1.28';
    });
    const paused = await until('paused condition', async () => {
      const d = await get(c, 'pz');
      return d.status?.observedGeneration === d.metadata.generation ? d : undefined;
    });
    const progressing = paused.status?.conditions?.find((x) => x.type === 'Progressing');
    assert.deepEqual([progressing?.status, progressing?.reason], ['Unknown', 'DeploymentPaused']);
    assert.equal((await replicaSets(c, 'pz')).length, 1, 'no new ReplicaSet while paused');
    await edit(c, 'pz', (d) => (d.spec.paused = false));
    await complete(c, 'pz');
    const rss = await replicaSets(c, 'pz');
    assert.deepEqual(rss.map((r) => r.spec.replicas), [0, 2]);
  } finally {
    await c.close();
  }
});
