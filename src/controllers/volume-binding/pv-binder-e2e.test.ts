/**
 * The PersistentVolume binder end to end: pre-created volumes bind to claims by capacity,
 * access modes, class and selector; a StatefulSet's claims bind and its pods run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { Resources } from '../../client/resources.js';
import { startCluster, until, type TestCluster } from '../common/cluster-harness-e2e.test.js';
import { statefulSetController } from '../statefulset/index.js';
import { persistentVolumeBinderController } from './index.js';

type Claim = KubeObject & { spec: { volumeName?: string }; status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] } };
type Volume = KubeObject & { spec: { claimRef?: { namespace?: string; name?: string; uid?: string } }; status?: { phase?: string } };

const pv = (name: string, storage: string, modes: string[], storageClassName = '', labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels },
  spec: { capacity: { storage }, accessModes: modes, storageClassName, persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/${name}` } },
});

const pvc = (name: string, storage: string, modes: string[], storageClassName = '', selector?: unknown) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: modes, storageClassName, resources: { requests: { storage } }, ...(selector ? { selector } : {}) },
});

const claim = (c: TestCluster, name: string) => c.client.get<Claim>(Resources.persistentvolumeclaims, 'default', name);
const bound = (c: TestCluster, name: string) =>
  until(`${name} bound`, async () => {
    const cl = await claim(c, name);
    return cl.status?.phase === 'Bound' ? cl : undefined;
  });

test('pre-created volumes bind to the claims they fit', async () => {
  const c = await startCluster({ controllers: [persistentVolumeBinderController] });
  try {
    for (const v of [
      pv('pv-1g', '1Gi', ['ReadWriteOnce']),
      pv('pv-10g', '10Gi', ['ReadWriteOnce']),
      pv('pv-rox', '5Gi', ['ReadOnlyMany']),
      pv('pv-fast', '5Gi', ['ReadWriteOnce'], 'fast'),
      pv('pv-gold', '20Gi', ['ReadWriteOnce'], '', { tier: 'gold' }),
    ]) await c.client.create(Resources.persistentvolumes, undefined, v);
    for (const cl of [
      pvc('c-gold', '1Gi', ['ReadWriteOnce'], '', { matchLabels: { tier: 'gold' } }),
      pvc('c-mid', '3Gi', ['ReadWriteOnce']),
      pvc('c-small', '1Gi', ['ReadWriteOnce']),
      pvc('c-rox', '1Gi', ['ReadOnlyMany']),
      pvc('c-fast', '1Gi', ['ReadWriteOnce'], 'fast'),
      pvc('c-none', '100Gi', ['ReadWriteOnce']),
    ]) await c.client.create(Resources.persistentvolumeclaims, 'default', cl);

    const want: [string, string, string][] = [
      ['c-gold', 'pv-gold', '20Gi'],
      ['c-mid', 'pv-10g', '10Gi'],
      ['c-small', 'pv-1g', '1Gi'],
      ['c-rox', 'pv-rox', '5Gi'],
      ['c-fast', 'pv-fast', '5Gi'],
    ];
    for (const [name, volume, capacity] of want) {
      const cl = await bound(c, name);
      assert.equal(cl.spec.volumeName, volume, name);
      assert.equal(cl.status?.capacity?.storage, capacity, `${name} capacity is the volume's`);
      assert.equal(cl.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
      const v = await until(`${volume} bound`, async () => {
        const cur = await c.client.get<Volume>(Resources.persistentvolumes, undefined, volume);
        return cur.status?.phase === 'Bound' ? cur : undefined;
      });
      assert.deepEqual([v.spec.claimRef?.namespace, v.spec.claimRef?.name, v.spec.claimRef?.uid], ['default', name, cl.metadata.uid]);
    }
    const none = await until('c-none FailedBinding', async () => {
      const ev = (await c.client.list(Resources.events, 'default')).items.find((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'c-none');
      return ev ? (ev as { reason?: string }).reason : undefined;
    });
    assert.equal(none, 'FailedBinding');
    assert.equal((await claim(c, 'c-none')).status?.phase, 'Pending');
  } finally {
    await c.close();
  }
});

test('a StatefulSet with volumeClaimTemplates gets bound claims and running pods', async () => {
  const c = await startCluster({ controllers: [persistentVolumeBinderController, statefulSetController], scheduler: true, simNodes: 1 });
  try {
    for (const name of ['pv-a', 'pv-b']) await c.client.create(Resources.persistentvolumes, undefined, pv(name, '1Gi', ['ReadWriteOnce']));
    await c.client.create(Resources.statefulsets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          // NOTE: no volumeMounts of `data`: the apiserver's StatefulSet validation wrongly
          // rejects a mount named after a volumeClaimTemplate (src/api/validation/container.ts).
          spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    const volumes = new Set<string>();
    for (const name of ['data-db-0', 'data-db-1']) {
      const cl = await bound(c, name);
      assert.equal(cl.metadata.labels?.app, 'db', 'claims carry the selector labels');
      volumes.add(cl.spec.volumeName!);
    }
    assert.deepEqual([...volumes].sort(), ['pv-a', 'pv-b']);
    const pod0 = await c.client.get(Resources.pods, 'default', 'db-0');
    const vols = ((pod0.spec ?? {}) as { volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] }).volumes ?? [];
    assert.equal(vols.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, 'data-db-0');
    await until('both pods running', async () => {
      const pods = (await c.client.list(Resources.pods, 'default', { labelSelector: 'app=db' })).items;
      return pods.length === 2 && pods.every((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
    });
    const sts = await until('StatefulSet ready', async () => {
      const s = await c.client.get(Resources.statefulsets, 'default', 'db');
      return (s.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 ? s : undefined;
    });
    assert.equal((sts.status as { replicas?: number }).replicas, 2);
  } finally {
    await c.close();
  }
});
