import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { realClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import type { ControllerRevision } from '../history/controller-revision.js';
import { runPodsOnce } from '../history/pod-lifecycle-double.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { targetNodeName } from './daemon-pod.js';
import { DaemonSetController } from './daemonset-controller.js';

function context(cp: TestControlPlane, client: ApiClient): ControllerContext {
  return {
    client,
    informers: cp.informers(client),
    clock: realClock,
    log: silentLogger,
    recorder: (c) => new EventRecorder(client, realClock, silentLogger, c),
    config: defaultControllerConfig,
  };
}

const node = (name: string, taints: unknown[] = []): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { taints } });
const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

function daemonSet(image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }], ...extra } },
    },
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const liveNodesOf = (pods: KubeObject[]) => pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => targetNodeName(p)).sort();

test('sync against seeded informers: one pod per untainted node, a revision, and status', async () => {
  const cp = await startControlPlane();
  try {
    const client = cp.client('daemonset-controller');
    const ctrl = new DaemonSetController(context(cp, client));
    const ds = await client.create<KubeObject>(Resources.daemonsets, 'default', daemonSet('agent:1'));
    ctrl.daemonSets.seed([ds as never]);
    ctrl.nodes.seed([node('n1'), node('n2'), node('n3', [gpuTaint])]);
    ctrl.pods.seed([]);
    ctrl.revisions.seed([]);
    await ctrl.sync('default/agent');

    const pods = (await client.list(Resources.pods, 'default')).items;
    assert.deepEqual(liveNodesOf(pods), ['n1', 'n2']);
    const revs = (await client.list<ControllerRevision>(Resources.controllerrevisions, 'default')).items;
    assert.equal(revs.length, 1);
    const hash = revs[0].metadata.labels?.['controller-revision-hash'];
    assert.equal(revs[0].metadata.name, `agent-${hash}`);
    for (const p of pods) assert.equal(p.metadata.labels?.['controller-revision-hash'], hash);
    const status = (await client.get<KubeObject>(Resources.daemonsets, 'default', 'agent')).status as Record<string, unknown>;
    assert.equal(status.desiredNumberScheduled, 2);
    assert.equal(status.currentNumberScheduled, 0, 'status reflects the cache before the creations are observed');
    assert.equal(status.observedGeneration, 1);

    // With creations observed, a misplaced pod (on the tainted node, NoExecute now) is deleted.
    ctrl.daemonSets.seed([(await client.get(Resources.daemonsets, 'default', 'agent')) as never]);
    ctrl.pods.seed(pods);
    ctrl.revisions.seed(revs as never[]);
    ctrl.nodes.seed([node('n1', [{ key: 'evict', effect: 'NoExecute' }]), node('n2'), node('n3', [gpuTaint])]);
    for (let i = 0; i < pods.length; i++) ctrl.expectations.creationObserved('default/agent');
    await ctrl.sync('default/agent');
    assert.deepEqual(liveNodesOf((await client.list(Resources.pods, 'default')).items), ['n2']);
    const events = (await client.list(Resources.events, 'default')).items.map((e) => e.reason);
    assert.ok(events.includes('SuccessfulCreate') && events.includes('SuccessfulDelete'), events.join(','));
  } finally {
    await cp.close();
  }
});

test('a DaemonSet covers every untainted node, follows tolerations, rolls to a new template, and undoes', async () => {
  const cp = await startControlPlane();
  const ac = new AbortController();
  try {
    const client = cp.client('daemonset-controller');
    const ctx = context(cp, client);
    const ctrl = new DaemonSetController(ctx);
    ctx.informers.start(ac.signal);
    const running = ctrl.run(ac.signal);
    const kubelet = cp.client('kubelet');
    for (const n of [node('n1'), node('n2'), node('n3', [gpuTaint])]) await client.create(Resources.nodes, undefined, n);
    await client.create(Resources.daemonsets, 'default', daemonSet('agent:1'));

    const settled = async (desired: number, image: string) =>
      until(`${desired} available on ${image}`, async () => {
        await runPodsOnce(kubelet, realClock, 'default');
        const ds = await client.get<KubeObject>(Resources.daemonsets, 'default', 'agent');
        const s = (ds.status ?? {}) as Record<string, number>;
        const pods = (await client.list(Resources.pods, 'default')).items;
        const images = pods.map((p) => (p.spec as { containers: { image: string }[] }).containers[0].image);
        return (
          s.observedGeneration === ds.metadata.generation &&
          s.desiredNumberScheduled === desired &&
          s.updatedNumberScheduled === desired &&
          s.numberAvailable === desired &&
          pods.length === desired &&
          images.every((i) => i === image) &&
          pods
        );
      });

    let pods = await settled(2, 'agent:1');
    assert.deepEqual(liveNodesOf(pods), ['n1', 'n2']);

    // Tolerating the taint brings the third node in (and is a new template, so a rollout).
    await client.patch(Resources.daemonsets, 'default', 'agent', 'merge', {
      spec: { template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } } },
    });
    pods = await settled(3, 'agent:1');
    assert.deepEqual(liveNodesOf(pods), ['n1', 'n2', 'n3']);

    await client.patch(Resources.daemonsets, 'default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    pods = await settled(3, 'agent:2');
    assert.deepEqual(liveNodesOf(pods), ['n1', 'n2', 'n3']);
    let revs = (await client.list<ControllerRevision>(Resources.controllerrevisions, 'default')).items;
    assert.deepEqual(revs.map((r) => r.revision).sort(), [1, 2, 3]);

    // kubectl rollout undo: the previous revision's data, sent as a strategic merge patch.
    const previous = revs.find((r) => r.revision === 2)!;
    await client.patch(Resources.daemonsets, 'default', 'agent', 'strategic', previous.data);
    pods = await settled(3, 'agent:1');
    revs = (await client.list<ControllerRevision>(Resources.controllerrevisions, 'default')).items;
    assert.deepEqual(revs.map((r) => [r.metadata.name, r.revision]).sort((a, b) => (a[1] as number) - (b[1] as number)), [
      [revs.find((r) => r.revision === 1)!.metadata.name, 1],
      [revs.find((r) => r.revision === 3)!.metadata.name, 3],
      [previous.metadata.name, 4],
    ]);
    const hash = previous.metadata.labels?.['controller-revision-hash'];
    for (const p of pods) assert.equal(p.metadata.labels?.['controller-revision-hash'], hash);
    void running;
  } finally {
    ac.abort();
    await cp.close();
  }
});
