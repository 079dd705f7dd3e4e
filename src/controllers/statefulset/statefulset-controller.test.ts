import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { realClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { isPodReady } from '../common/pods.js';
import { markPodRunningReady, runPodsOnce } from '../history/pod-lifecycle-double.js';
import type { ControllerRevision } from '../history/controller-revision.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { StatefulSetController } from './statefulset-controller.js';

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

function statefulSet(name: string, replicas: number, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
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

/** Pod ADDED/DELETED order from a watch, with the pods Ready when each was added. */
function watchPods(client: ApiClient, signal: AbortSignal): { added: string[]; deleted: string[]; readyAtAdd: string[][] } {
  const log = { added: [] as string[], deleted: [] as string[], readyAtAdd: [] as string[][] };
  const ready = new Set<string>();
  void client
    .watch(Resources.pods, 'default', { resourceVersion: '0' }, (ev) => {
      const name = ev.object.metadata.name!;
      if (ev.type === 'ADDED') {
        log.added.push(name);
        log.readyAtAdd.push([...ready].sort());
      }
      if (ev.type === 'DELETED') {
        log.deleted.push(name);
        ready.delete(name);
      }
      if (ev.type === 'MODIFIED' && isPodReady(ev.object)) ready.add(name);
    }, signal)
    .catch(() => {});
  return log;
}

const names = (list: { items: KubeObject[] }): string[] => list.items.map((p) => p.metadata.name!).sort();

test('sync against seeded informers: creates only the first ordinal, with identity and claim', async () => {
  const cp = await startControlPlane();
  try {
    const client = cp.client('statefulset-controller');
    const ctrl = new StatefulSetController(context(cp, client));
    const set = await client.create<KubeObject>(Resources.statefulsets, 'default', statefulSet('web', 3, 'nginx:1'));
    ctrl.sets.seed([set as never]);
    ctrl.pods.seed([]);
    ctrl.revisions.seed([]);
    ctrl.claims.seed([]);
    await ctrl.sync('default/web');

    const pods = await client.list(Resources.pods, 'default');
    assert.deepEqual(names(pods), ['web-0']);
    const pod = pods.items[0];
    const revs = await client.list<ControllerRevision>(Resources.controllerrevisions, 'default');
    assert.equal(revs.items.length, 1);
    const rev = revs.items[0];
    assert.equal(rev.revision, 1);
    assert.ok(rev.metadata.name!.startsWith('web-'));
    assert.equal(rev.metadata.ownerReferences?.[0].uid, set.metadata.uid);
    assert.deepEqual(((rev.data as { spec: { template: Record<string, unknown> } }).spec.template).$patch, 'replace');
    assert.deepEqual(
      { name: pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], index: pod.metadata.labels?.['apps.kubernetes.io/pod-index'], rev: pod.metadata.labels?.['controller-revision-hash'] },
      { name: 'web-0', index: '0', rev: rev.metadata.name },
    );
    const spec = pod.spec as { hostname: string; subdomain: string; volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
    assert.equal(spec.hostname, 'web-0');
    assert.equal(spec.subdomain, 'web');
    assert.deepEqual(spec.volumes.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-0' });
    const pvcs = await client.list(Resources.persistentvolumeclaims, 'default');
    assert.deepEqual(names(pvcs), ['www-web-0']);

    const updated = await client.get<KubeObject>(Resources.statefulsets, 'default', 'web');
    const status = updated.status as Record<string, unknown>;
    assert.equal(status.observedGeneration, 1);
    assert.equal(status.updateRevision, rev.metadata.name);
    assert.equal(status.currentRevision, rev.metadata.name);

    // web-0 not ready yet: a second sync must not create web-1.
    ctrl.sets.seed([(await client.get(Resources.statefulsets, 'default', 'web')) as never]);
    ctrl.pods.seed(pods.items);
    ctrl.revisions.seed(revs.items as never[]);
    ctrl.claims.seed(pvcs.items);
    await ctrl.sync('default/web');
    assert.deepEqual(names(await client.list(Resources.pods, 'default')), ['web-0']);

    // Ready: the next ordinal follows.
    await markPodRunningReady(client, realClock, pod);
    ctrl.sets.seed([(await client.get(Resources.statefulsets, 'default', 'web')) as never]);
    ctrl.pods.seed((await client.list(Resources.pods, 'default')).items);
    await ctrl.sync('default/web');
    assert.deepEqual(names(await client.list(Resources.pods, 'default')), ['web-0', 'web-1']);
  } finally {
    await cp.close();
  }
});

test('a StatefulSet of 3 comes up in order, scales down in reverse, keeps its PVCs, and rolls with a partition', async () => {
  const cp = await startControlPlane();
  const ac = new AbortController();
  try {
    const client = cp.client('statefulset-controller');
    const ctx = context(cp, client);
    const ctrl = new StatefulSetController(ctx);
    ctx.informers.start(ac.signal);
    const running = ctrl.run(ac.signal);
    const kubelet = cp.client('kubelet');

    const log = watchPods(kubelet, ac.signal);
    const step = () => runPodsOnce(kubelet, realClock, 'default');
    const stsStatus = async () => (await client.get<KubeObject>(Resources.statefulsets, 'default', 'web')).status as Record<string, unknown> | undefined;

    await client.create(Resources.statefulsets, 'default', statefulSet('web', 3, 'nginx:1'));
    await until('3 ready replicas', async () => {
      await step();
      const s = await stsStatus();
      return s?.readyReplicas === 3 && s.currentReplicas === 3 && s.updatedReplicas === 3;
    });
    assert.deepEqual(log.added, ['web-0', 'web-1', 'web-2']);
    // OrderedReady: each pod appeared only after every lower ordinal was ready.
    assert.deepEqual(log.readyAtAdd, [[], ['web-0'], ['web-0', 'web-1']]);
    assert.deepEqual(names(await client.list(Resources.persistentvolumeclaims, 'default')), ['www-web-0', 'www-web-1', 'www-web-2']);
    const events = await client.list(Resources.events, 'default');
    const messages = events.items.map((e) => `${e.reason}: ${e.message}`);
    assert.ok(messages.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'), messages.join('\n'));
    assert.ok(messages.includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'), messages.join('\n'));

    // Scale to 1: web-2 goes first, then web-1; claims stay.
    await client.patch(Resources.statefulsets, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await until('scaled to 1', async () => {
      await step();
      const s = await stsStatus();
      return (await kubelet.list(Resources.pods, 'default')).items.length === 1 && s?.replicas === 1;
    });
    assert.deepEqual(log.deleted, ['web-2', 'web-1']);
    assert.deepEqual(names(await client.list(Resources.persistentvolumeclaims, 'default')), ['www-web-0', 'www-web-1', 'www-web-2']);

    // Back to 3, then a rolling update with partition 1: only web-2 and web-1 move, highest first.
    await client.patch(Resources.statefulsets, 'default', 'web', 'merge', { spec: { replicas: 3 } });
    await until('3 ready again', async () => {
      await step();
      const s = await stsStatus();
      return s?.readyReplicas === 3;
    });
    const before = await client.get<KubeObject>(Resources.statefulsets, 'default', 'web');
    const oldRevision = (before.status as { updateRevision: string }).updateRevision;
    await client.patch(Resources.statefulsets, 'default', 'web', 'merge', {
      spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } },
    });
    log.deleted.length = 0;
    await until('partitioned update done', async () => {
      await step();
      const sts = await client.get<KubeObject>(Resources.statefulsets, 'default', 'web');
      const s = sts.status as Record<string, unknown>;
      return s.updatedReplicas === 2 && s.readyReplicas === 3 && s.observedGeneration === sts.metadata.generation;
    });
    const after = await client.get<KubeObject>(Resources.statefulsets, 'default', 'web');
    const st = after.status as { currentRevision: string; updateRevision: string; currentReplicas: number };
    assert.notEqual(st.updateRevision, oldRevision);
    assert.equal(st.currentRevision, oldRevision);
    assert.equal(st.currentReplicas, 1);
    const pods = (await client.list(Resources.pods, 'default')).items;
    const image = (n: string) => ((pods.find((p) => p.metadata.name === n)!.spec as { containers: { image: string }[] }).containers[0].image);
    assert.deepEqual([image('web-0'), image('web-1'), image('web-2')], ['nginx:1', 'nginx:2', 'nginx:2']);
    assert.deepEqual(log.deleted, ['web-2', 'web-1']);
    const revs = await client.list<ControllerRevision>(Resources.controllerrevisions, 'default');
    assert.deepEqual(revs.items.map((r) => r.revision).sort(), [1, 2]);
  } finally {
    ac.abort();
    await cp.close();
  }
});

test('Parallel creates every ordinal at once; whenDeleted=Delete gives claims an owner; OnDelete leaves old pods', async () => {
  const cp = await startControlPlane();
  try {
    const client = cp.client('statefulset-controller');
    const ctrl = new StatefulSetController(context(cp, client));
    const set = await client.create<KubeObject>(
      Resources.statefulsets,
      'default',
      statefulSet('db', 3, 'pg:1', {
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      }),
    );
    const reseed = async () => {
      ctrl.sets.seed([(await client.get(Resources.statefulsets, 'default', 'db')) as never]);
      ctrl.pods.seed((await client.list(Resources.pods, 'default')).items);
      ctrl.revisions.seed((await client.list(Resources.controllerrevisions, 'default')).items as never[]);
      ctrl.claims.seed((await client.list(Resources.persistentvolumeclaims, 'default')).items);
    };
    await reseed();
    await ctrl.sync('default/db');
    assert.deepEqual(names(await client.list(Resources.pods, 'default')), ['db-0', 'db-1', 'db-2']);
    const claims = (await client.list(Resources.persistentvolumeclaims, 'default')).items;
    assert.deepEqual(claims.map((c) => c.metadata.ownerReferences?.[0]?.uid), [set.metadata.uid, set.metadata.uid, set.metadata.uid]);

    for (const p of (await client.list(Resources.pods, 'default')).items) await markPodRunningReady(client, realClock, p);
    await client.patch(Resources.statefulsets, 'default', 'db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'pg:2' }] } } } });
    await reseed();
    await ctrl.sync('default/db');
    const images = (await client.list(Resources.pods, 'default')).items.map((p) => (p.spec as { containers: { image: string }[] }).containers[0].image);
    assert.deepEqual(images, ['pg:1', 'pg:1', 'pg:1'], 'OnDelete never replaces pods by itself');

    // The user deletes db-1: its replacement comes from the update revision.
    await client.delete(Resources.pods, 'default', 'db-1');
    await reseed();
    await ctrl.sync('default/db');
    const pods = (await client.list(Resources.pods, 'default')).items;
    const byName = new Map(pods.map((p) => [p.metadata.name, (p.spec as { containers: { image: string }[] }).containers[0].image]));
    assert.deepEqual([byName.get('db-0'), byName.get('db-1'), byName.get('db-2')], ['pg:1', 'pg:2', 'pg:1']);
  } finally {
    await cp.close();
  }
});
