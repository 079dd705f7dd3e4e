import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { silentLogger } from '../../base/logger.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import type { Pod } from '../pods/pod-types.js';
import type { Mounter } from './mounter.js';
import { VolumeManager } from './volume-manager.js';

/** Records tmpfs mounts instead of making them (unit tests need not be root). */
function fakeMounter(): Mounter & { mounted: Set<string>; sizes: Map<string, number | undefined> } {
  const mounted = new Set<string>();
  const sizes = new Map<string, number | undefined>();
  return {
    mounted,
    sizes,
    async mountTmpfs(dir, size) {
      mounted.add(dir);
      sizes.set(dir, size);
    },
    async unmount(dir) {
      mounted.delete(dir);
    },
    mountsUnder(dir) {
      return [...mounted].filter((m) => m === dir || m.startsWith(dir + '/'));
    },
  };
}

test('volume manager sets up, refreshes and removes pod volumes', async () => {
  const cp = await startControlPlane();
  const dir = mkdtempSync(join(tmpdir(), 'vm-'));
  const events: string[] = [];
  const recorder = { event: (_o: KubeObject, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) } as unknown as EventRecorder;
  const mounter = fakeMounter();
  const client = cp.client('test');
  const vm = new VolumeManager({ client, clock: cp.clock, log: silentLogger, recorder, podsDir: join(dir, 'pods'), nodeName: 'n1', nodeIP: '10.0.0.1', allocatable: { cpu: '2', memory: '1000' }, mounter });
  try {
    const hostDir = join(dir, 'host', 'data');
    await client.create(Resources.persistentvolumes, undefined, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: join(dir, 'pvdir'), type: 'DirectoryOrCreate' } } });
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', uid: 'uid-1', labels: { app: 'web', tier: 'x' } },
      spec: {
        containers: [
          {
            name: 'c',
            volumeMounts: [
              { name: 'cfg', mountPath: '/cfg' },
              { name: 'sec', mountPath: '/sec' },
              { name: 'scratch', mountPath: '/scratch/sub', subPath: 'a/b' },
              { name: 'mem', mountPath: '/mem' },
              { name: 'host', mountPath: '/host', readOnly: true },
              { name: 'info', mountPath: '/info' },
              { name: 'claim', mountPath: '/claim', subPathExpr: '$(POD)' },
            ],
          } as Pod['spec']['containers'][0],
        ],
        volumes: [
          { name: 'cfg', configMap: { name: 'cm' } },
          { name: 'sec', secret: { secretName: 's', defaultMode: 0o400, items: [{ key: 'password', path: 'pw' }] } },
          { name: 'scratch', emptyDir: {} },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
        ],
      } as Pod['spec'],
    };
    // Nothing exists yet: the pod waits, with upstream's FailedMount wording.
    const first = await vm.prepare(pod);
    assert.match(first ?? '', /^unmounted volumes=\[cfg sec claim\]/);
    assert.ok(events.includes('Warning FailedMount MountVolume.SetUp failed for volume "cfg" : configmap "cm" not found'), events.join('\n'));
    assert.ok(events.includes('Warning FailedMount MountVolume.SetUp failed for volume "sec" : secret "s" not found'));
    assert.ok(events.some((e) => e.includes('volume "claim" : persistentvolumeclaim "data" not found')));
    await vm.prepare(pod);
    assert.equal(events.filter((e) => e.includes('"cfg"')).length, 1, 'a repeating failure is reported once');

    await client.create(Resources.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { key: 'v1' } });
    await client.create(Resources.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { password: Buffer.from('hunter2').toString('base64'), other: 'eA==' } });
    const pvc = await client.create<KubeObject>(Resources.persistentvolumeclaims, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv1' } });
    assert.match((await vm.prepare(pod)) ?? '', /unmounted volumes=\[claim\]/, 'a claim waits until Bound');
    assert.ok(events.some((e) => e.includes('PVC default/data has non-bound phase')), events.join('\n'));
    await client.updateStatus(Resources.persistentvolumeclaims, { ...pvc, status: { phase: 'Bound' } });
    assert.equal(await vm.prepare(pod), undefined);

    const vols = join(dir, 'pods', 'uid-1', 'volumes');
    assert.equal(readFileSync(join(vols, 'kubernetes.io~configmap', 'cfg', 'key'), 'utf8'), 'v1');
    assert.equal(readFileSync(join(vols, 'kubernetes.io~secret', 'sec', 'pw'), 'utf8'), 'hunter2');
    assert.equal(statSync(join(vols, 'kubernetes.io~secret', 'sec', 'pw')).mode & 0o777, 0o400);
    assert.equal(existsSync(join(vols, 'kubernetes.io~secret', 'sec', 'other')), false, 'only the listed items');
    assert.equal(readFileSync(join(vols, 'kubernetes.io~downward-api', 'info', 'labels'), 'utf8'), 'app="web"\ntier="x"');
    assert.equal(statSync(join(vols, 'kubernetes.io~empty-dir', 'scratch')).mode & 0o777, 0o777);
    assert.ok(statSync(hostDir).isDirectory(), 'DirectoryOrCreate made the host folder');
    assert.ok(mounter.mounted.has(join(vols, 'kubernetes.io~secret', 'sec')), 'secrets on tmpfs');
    assert.equal(mounter.sizes.get(join(vols, 'kubernetes.io~empty-dir', 'mem')), 64 * 1024 * 1024);
    assert.equal(mounter.mounted.has(join(vols, 'kubernetes.io~configmap', 'cfg')), false, 'configMaps on disk');

    const mounts = vm.mounts(pod, pod.spec.containers[0], [{ key: 'POD', value: 'p' }]);
    const byPath = new Map(mounts.map((m) => [m.container_path, m]));
    assert.equal(byPath.get('/cfg')?.host_path, join(vols, 'kubernetes.io~configmap', 'cfg'));
    assert.equal(byPath.get('/cfg')?.readonly, true);
    assert.equal(byPath.get('/scratch/sub')?.host_path, join(vols, 'kubernetes.io~empty-dir', 'scratch', 'a', 'b'));
    assert.equal(byPath.get('/scratch/sub')?.readonly, false);
    assert.ok(statSync(join(vols, 'kubernetes.io~empty-dir', 'scratch', 'a', 'b')).isDirectory(), 'subPath created');
    assert.equal(byPath.get('/host')?.readonly, true);
    assert.equal(byPath.get('/claim')?.host_path, join(dir, 'pvdir', 'p'), 'subPathExpr expanded inside the bound volume');
    assert.throws(() => vm.mounts(pod, { name: 'x', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: '../../etc' }] } as never, []), /invalid subpath/);

    // Updates propagate: ConfigMap data and pod labels.
    await client.patch(Resources.configmaps, 'default', 'cm', 'merge', { data: { key: 'v2' } });
    await vm.prepare({ ...pod, metadata: { ...pod.metadata, labels: { app: 'web' } } });
    assert.equal(readFileSync(join(vols, 'kubernetes.io~configmap', 'cfg', 'key'), 'utf8'), 'v2');
    assert.equal(readFileSync(join(vols, 'kubernetes.io~downward-api', 'info', 'labels'), 'utf8'), 'app="web"');

    // A deleted ConfigMap leaves the running pod's last content in place.
    await client.delete(Resources.configmaps, 'default', 'cm');
    assert.equal(await vm.prepare(pod), undefined);
    assert.equal(readFileSync(join(vols, 'kubernetes.io~configmap', 'cfg', 'key'), 'utf8'), 'v2');

    await vm.cleanup('uid-1');
    assert.equal(existsSync(vols), false);
    assert.equal(mounter.mounted.size, 0, 'every tmpfs unmounted');
    assert.ok(existsSync(hostDir), 'hostPath content is never removed');
  } finally {
    vm.close();
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('projected service-account token through TokenRequest', async () => {
  const cp = await startControlPlane();
  const dir = mkdtempSync(join(tmpdir(), 'vm-'));
  const events: string[] = [];
  const recorder = { event: (_o: KubeObject, _t: string, _r: string, m: string) => events.push(m) } as unknown as EventRecorder;
  // The in-process control plane issues no tokens: TokenRequest is answered here.
  const requests: { ns: string; name: string; body: { spec: Record<string, unknown> } }[] = [];
  const real = cp.client('test');
  const client = Object.assign(Object.create(real) as typeof real, {
    createSubresource: async (_r: unknown, ns: string, name: string, sub: string, body: { spec: Record<string, unknown> }) => {
      assert.equal(sub, 'token');
      requests.push({ ns, name, body });
      return { status: { token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', expirationTimestamp: new Date(Date.now() + 3607_000).toISOString() } };
    },
  });
  const vm = new VolumeManager({ client, clock: cp.clock, log: silentLogger, recorder, podsDir: dir, nodeName: 'n1', nodeIP: '10.0.0.1', allocatable: { cpu: '2', memory: '1000' }, mounter: fakeMounter() });
  try {
    await client.create(Resources.serviceaccounts, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
    await client.create(Resources.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': 'CA' } });
    const pod = await client.create<Pod>(Resources.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    (pod.spec as { volumes?: unknown[] }).volumes = [
      {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ];
    const wait = await vm.prepare(pod);
    assert.equal(wait, undefined, events.join('\n'));
    const v = join(dir, pod.metadata.uid!, 'volumes', 'kubernetes.io~projected', 'kube-api-access');
    assert.match(readFileSync(join(v, 'token'), 'utf8'), /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');
    assert.equal(readFileSync(join(v, 'ca.crt'), 'utf8'), 'CA');
    assert.equal(readFileSync(join(v, 'namespace'), 'utf8'), 'default');
    assert.equal(statSync(join(v, 'token')).mode & 0o777, 0o644);
    assert.deepEqual(requests.map((r) => [r.ns, r.name]), [['default', 'default']]);
    assert.deepEqual(requests[0].body.spec, { audiences: [], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: pod.metadata.uid } });
    await vm.prepare(pod);
    assert.equal(requests.length, 1, 'a fresh token is reused');
  } finally {
    vm.close();
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
