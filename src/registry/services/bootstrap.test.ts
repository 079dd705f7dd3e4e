import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { builtinResources } from '../../api/resources/index.js';
import { realClock } from '../../base/clock.js';
import { openMemoryStorage } from '../../storage/index.js';
import { resourcePrefix } from '../keys.js';
import { Store } from '../store.js';
import { SERVICE_IPS_PREFIX } from './allocation-record.js';
import { boundTarget, ensureKubernetesService } from './bootstrap.js';
import { serviceHooks } from './service-hooks.js';

const opts = { serviceCIDR: '10.43.0.0/16', advertiseAddress: '192.168.1.20', apiPort: 6443 };

test('the kubernetes Service, Endpoints and EndpointSlice are created once, through the stores', async () => {
  const storage = await openMemoryStorage();
  const hooks = serviceHooks({ storage, serviceCIDR: opts.serviceCIDR });
  const stores = new Map<string, Store>();
  for (const rt of builtinResources()) {
    if (!['services', 'endpoints', 'endpointslices'].includes(rt.plural)) continue;
    const store = new Store({ rt, storage, clock: realClock, prefix: resourcePrefix(rt), hooks: rt.plural === 'services' ? hooks : undefined });
    stores.set(`${rt.group}/${rt.version}/${rt.plural}`, store);
  }
  const target = boundTarget((g, v, p) => {
    const store = stores.get(`${g}/${v}/${p}`);
    return store && { store };
  });
  await ensureKubernetesService(target, opts);
  await ensureKubernetesService(target, opts);

  const svc = await stores.get('/v1/services')!.getFromStorage('default', 'kubernetes');
  assert.deepEqual(svc.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  const spec = svc.spec as { clusterIP: string; clusterIPs: string[]; selector?: unknown; ports: unknown[] };
  assert.equal(spec.clusterIP, '10.43.0.1');
  assert.deepEqual(spec.clusterIPs, ['10.43.0.1']);
  assert.equal(spec.selector, undefined);
  assert.deepEqual(spec.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
  const rec = await storage.get(`${SERVICE_IPS_PREFIX}10.43.0.1`);
  assert.equal(JSON.parse(rec!.value).uid, svc.metadata.uid);

  const ep = await stores.get('/v1/endpoints')!.getFromStorage('default', 'kubernetes');
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '192.168.1.20' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  const slice = await stores.get('discovery.k8s.io/v1/endpointslices')!.getFromStorage('default', 'kubernetes');
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.endpoints, [{ addresses: ['192.168.1.20'], conditions: { ready: true } }]);
  assert.equal(slice.metadata.labels?.['kubernetes.io/service-name'], 'kubernetes');
});

test('ensureKubernetesService asks a plain target for the three objects', async () => {
  const calls: string[] = [];
  await ensureKubernetesService(
    {
      async createIfMissing(group, version, plural, namespace, obj: KubeObject) {
        calls.push(`${group}/${version}/${plural} ${namespace}/${obj.metadata.name}`);
      },
    },
    opts,
  );
  assert.deepEqual(calls, ['/v1/services default/kubernetes', '/v1/endpoints default/kubernetes', 'discovery.k8s.io/v1/endpointslices default/kubernetes']);
});
