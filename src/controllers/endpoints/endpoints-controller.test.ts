import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startControlPlane } from '../../testing/control-plane.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { EndpointsController } from './endpoints-controller.js';
import { EndpointSliceController } from '../endpointslice/endpointslice-controller.js';
import type { KubeObject } from '../../api/object.js';

async function eventually<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met');
}

function pod(name: string, ip: string, ready: boolean, labels = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

test('endpoints and endpointslices follow pod readiness and named ports', async () => {
  const cp = await startControlPlane();
  const client = cp.client('endpoint-controller');
  const informers = cp.informers(client);
  const ctx: ControllerContext = { client, informers, clock: cp.clock, log: cp.log, recorder: (c) => new EventRecorder(client, cp.clock, cp.log, c), config: defaultControllerConfig };
  const ep = new EndpointsController(ctx);
  const slices = new EndpointSliceController(ctx);
  const ac = new AbortController();
  informers.start(ac.signal);
  void ep.run(ac.signal);
  void slices.run(ac.signal);
  try {
    await client.create(Resources.services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'h', port: 80, targetPort: 'http' }] } });
    for (const [n, ip, ready] of [['a', '10.42.0.5', true], ['b', '10.42.0.6', false]] as const) {
      const created = await client.create<KubeObject>(Resources.pods, 'default', pod(n, ip, ready));
      await client.updateStatus(Resources.pods, { ...created, status: pod(n, ip, ready).status });
    }
    const eps = await eventually(async () => {
      const e = await client.get<KubeObject>(Resources.endpoints, 'default', 'web');
      const s = (e.subsets as { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }[])?.[0];
      return s?.addresses?.length === 1 && s.notReadyAddresses?.length === 1 ? e : undefined;
    });
    const subset = (eps.subsets as { addresses: { ip: string; nodeName: string; targetRef: { name: string } }[]; ports: unknown[] }[])[0];
    assert.equal(subset.addresses[0].ip, '10.42.0.5');
    assert.equal(subset.addresses[0].targetRef.name, 'a');
    assert.deepEqual(subset.ports, [{ name: 'h', port: 8080, protocol: 'TCP' }]);
    assert.ok(eps.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);

    const slice = await eventually(async () => {
      const l = await client.list<KubeObject>(Resources.endpointslices, 'default', { labelSelector: 'kubernetes.io/service-name=web' });
      const s = l.items[0];
      return l.items.length === 1 && (s?.endpoints as unknown[])?.length === 2 ? s : undefined;
    });
    assert.equal(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.addressType, 'IPv4');
    assert.equal(slice.metadata.ownerReferences?.[0].kind, 'Service');
    const byIp = Object.fromEntries((slice.endpoints as { addresses: string[]; conditions: { ready: boolean } }[]).map((e) => [e.addresses[0], e.conditions.ready]));
    assert.deepEqual(byIp, { '10.42.0.5': true, '10.42.0.6': false });

    // b becomes ready: both addresses ready.
    const b = await client.get<KubeObject>(Resources.pods, 'default', 'b');
    await client.updateStatus(Resources.pods, { ...b, status: pod('b', '10.42.0.6', true).status });
    await eventually(async () => {
      const e = await client.get<KubeObject>(Resources.endpoints, 'default', 'web');
      const s = (e.subsets as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[])[0];
      return s.addresses?.length === 2 && !s.notReadyAddresses ? true : undefined;
    });

    // Headless without ports: addresses without ports; a selector-less service is left alone.
    await client.create(Resources.services, 'default', { metadata: { name: 'hl' }, spec: { clusterIP: 'None', selector: { app: 'web' } } });
    await client.create(Resources.services, 'default', { metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
    const hl = await eventually(async () => {
      const e = await client.get<KubeObject>(Resources.endpoints, 'default', 'hl');
      return (e.subsets as { addresses?: unknown[] }[])?.[0]?.addresses?.length === 2 ? e : undefined;
    });
    assert.equal(hl.metadata.labels?.['service.kubernetes.io/headless'], '');
    assert.equal((hl.subsets as { ports?: unknown }[])[0].ports, undefined);
    await assert.rejects(client.get(Resources.endpoints, 'default', 'manual'));
  } finally {
    ac.abort();
    await cp.close();
  }
});
