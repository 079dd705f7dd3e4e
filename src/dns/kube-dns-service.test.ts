import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startControlPlane } from '../testing/control-plane.js';
import { ensureKubeDNSService } from './kube-dns-service.js';

test('ensureKubeDNSService creates kube-system/kube-dns once, on the cluster DNS IP', async () => {
  const cp = await startControlPlane();
  try {
    const client = cp.client('dns-test');
    const first = await ensureKubeDNSService(client, '10.43.0.10');
    assert.equal(first.created, true);
    assert.equal(first.service.spec?.clusterIP, '10.43.0.10');
    assert.deepEqual(first.service.spec?.ports?.map((p) => `${p.name}/${p.port}/${p.protocol}`), ['dns/53/UDP', 'dns-tcp/53/TCP', 'metrics/9153/TCP']);
    assert.equal(first.service.metadata.labels?.['k8s-app'], 'kube-dns');
    assert.equal(first.service.metadata.labels?.['kubernetes.io/name'], 'CoreDNS');
    const again = await ensureKubeDNSService(client, '10.43.0.10');
    assert.deepEqual([again.created, again.clusterIPMismatch], [false, false]);
    assert.equal((await ensureKubeDNSService(client, '10.43.0.11')).clusterIPMismatch, true);
  } finally {
    await cp.close();
  }
});
