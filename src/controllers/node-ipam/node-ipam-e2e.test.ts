/** Node IPAM end to end: distinct podCIDRs for many nodes, kept across a controller restart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { Resources } from '../../client/resources.js';
import { startCluster, until, type TestCluster } from '../common/cluster-harness-e2e.test.js';
import { nodeIpamController } from './index.js';

type NodeSpec = { podCIDR?: string; podCIDRs?: string[] };
const specOf = (n: KubeObject) => (n.spec ?? {}) as NodeSpec;

async function createNodes(c: TestCluster, from: number, to: number): Promise<void> {
  await Promise.all(Array.from({ length: to - from }, (_, i) => c.client.create(Resources.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: `n-${from + i}` } })));
}

async function allocated(c: TestCluster, count: number): Promise<Map<string, string>> {
  return until(`${count} nodes with podCIDRs`, async () => {
    const nodes = (await c.client.list(Resources.nodes)).items;
    if (nodes.length !== count || !nodes.every((n) => specOf(n).podCIDR)) return undefined;
    return new Map(nodes.map((n) => [n.metadata.name!, specOf(n).podCIDR!]));
  });
}

test('podCIDRs are distinct across many nodes and survive a controller restart', async () => {
  const c = await startCluster({ controllers: [nodeIpamController], config: { clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24 } });
  try {
    await createNodes(c, 0, 60);
    const first = await allocated(c, 60);
    assert.equal(new Set(first.values()).size, 60, 'distinct');
    for (const [name, cidr] of first) {
      assert.match(cidr, /^10\.42\.\d+\.0\/24$/, name);
      const n = await c.client.get(Resources.nodes, undefined, name);
      assert.deepEqual(specOf(n).podCIDRs, [cidr], 'podCIDRs mirrors podCIDR');
    }

    // Free one subnet while the controller is down; the restarted one rebuilds its set from the nodes.
    await c.stopControllers();
    await c.client.delete(Resources.nodes, undefined, 'n-7');
    await createNodes(c, 60, 100);
    c.startController(nodeIpamController);
    const after = await allocated(c, 99);
    assert.equal(new Set(after.values()).size, 99, 'no subnet handed out twice after the restart');
    for (const [name, cidr] of first) if (name !== 'n-7') assert.equal(after.get(name), cidr, `${name} kept its podCIDR`);
  } finally {
    await c.close();
  }
});

test('a full cluster CIDR leaves new nodes without podCIDR and says CIDRNotAvailable', async () => {
  const c = await startCluster({ controllers: [nodeIpamController], config: { clusterCIDR: '10.42.0.0/23', nodeCIDRMaskSize: 24 } });
  try {
    await createNodes(c, 0, 2);
    await allocated(c, 2);
    await createNodes(c, 2, 3);
    const ev = await until('CIDRNotAvailable event', async () =>
      (await c.client.list(Resources.events, 'default')).items.find((e) => (e as { reason?: string }).reason === 'CIDRNotAvailable'),
    );
    assert.equal((ev as { involvedObject?: { name?: string } }).involvedObject?.name, 'n-2');
    assert.equal(specOf(await c.client.get(Resources.nodes, undefined, 'n-2')).podCIDR, undefined);
  } finally {
    await c.close();
  }
});
