import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import { builtinResources } from '../../api/resources/index.js';
import { StatusError } from '../../api/status.js';
import { realClock } from '../../base/clock.js';
import { openMemoryStorage } from '../../storage/index.js';
import type { Storage } from '../../storage/interface.js';
import { Store, type WriteContext } from '../store.js';
import { SERVICE_IPS_PREFIX, SERVICE_NODE_PORTS_PREFIX, parseRecord } from './allocation-record.js';
import { serviceHooks, type ServiceStoreHooks } from './service-hooks.js';

const CIDR = '10.43.0.0/16';
const ctx: WriteContext = { manager: 'test', dryRun: false };
const dry: WriteContext = { manager: 'test', dryRun: true };

function servicesRow() {
  const rt = builtinResources().find((r) => r.group === '' && r.plural === 'services');
  assert.ok(rt, 'services row');
  return rt;
}

async function setup(serviceCIDR = CIDR, storage?: Storage) {
  const st = storage ?? (await openMemoryStorage());
  const hooks = serviceHooks({ storage: st, serviceCIDR });
  const store = new Store({ rt: servicesRow(), storage: st, clock: realClock, prefix: '/registry/services/', hooks });
  return { storage: st, hooks, store };
}

function svc(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  };
}

type Spec = {
  clusterIP?: string;
  clusterIPs?: string[];
  type?: string;
  ports: { name?: string; port: number; nodePort?: number; protocol?: string }[];
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
};
const spec = (o: KubeObject) => o.spec as Spec;

async function keys(storage: Storage, prefix: string): Promise<string[]> {
  return (await storage.list(prefix)).items.map((kv) => kv.key.slice(prefix.length)).sort();
}

async function rejects(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StatusError, `expected StatusError, got ${String(err)}`);
    assert.equal(err.httpCode, code);
    assert.equal(err.message, message);
    return true;
  });
}

/** An update through the store, which runs the hooks' update sequence itself. */
async function update(
  store: Store,
  _hooks: ServiceStoreHooks,
  name: string,
  mutate: (o: KubeObject) => void,
  wctx: WriteContext = ctx,
): Promise<KubeObject> {
  const { obj } = await store.update('default', name, (live) => {
    const desired = deepCopy(live);
    mutate(desired);
    return desired;
  }, wctx);
  return obj;
}

function inCIDR16(ip: string): boolean {
  return /^10\.43\.\d+\.\d+$/.test(ip);
}

test('a ClusterIP service gets a random address above the static band, recorded with its owner', async () => {
  const { storage, store } = await setup();
  const out = await store.create(svc('web'), ctx);
  const s = spec(out);
  assert.ok(s.clusterIP && inCIDR16(s.clusterIP));
  assert.deepEqual(s.clusterIPs, [s.clusterIP]);
  assert.deepEqual(s.ipFamilies, ['IPv4']);
  assert.equal(s.ipFamilyPolicy, 'SingleStack');
  // 10.43.0.1 .. 10.43.1.0 is the static band (256 addresses) left to explicit requests.
  assert.notEqual(s.clusterIP.split('.')[2], '0');
  const kv = await storage.get(`${SERVICE_IPS_PREFIX}${s.clusterIP}`);
  assert.ok(kv);
  const rec = parseRecord(kv.value);
  assert.equal(rec?.uid, out.metadata.uid);
  assert.equal(`${rec?.namespace}/${rec?.name}`, 'default/web');
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), []);
});

test('an explicit ClusterIP is honoured; a taken or foreign one is refused with upstream wording', async () => {
  const { storage, store } = await setup();
  const a = await store.create(svc('a', { clusterIP: '10.43.0.5' }), ctx);
  assert.equal(spec(a).clusterIP, '10.43.0.5');
  assert.deepEqual(spec(a).clusterIPs, ['10.43.0.5']);
  await rejects(
    store.create(svc('b', { clusterIP: '10.43.0.5', type: 'NodePort' }), ctx),
    422,
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.5"}: failed to allocate IP 10.43.0.5: provided IP is already allocated',
  );
  await rejects(
    store.create(svc('c', { clusterIP: '10.44.0.5' }), ctx),
    422,
    'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.44.0.5"}: failed to allocate IP 10.44.0.5: the provided IP (10.44.0.5) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
  );
  await rejects(
    store.create(svc('d', { clusterIP: '10.43.255.255' }), ctx),
    422,
    'Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.255.255"}: failed to allocate IP 10.43.255.255: the provided IP (10.43.255.255) is not in the valid range. The range of valid IPs is 10.43.0.0/16',
  );
  // The refused creates left nothing behind.
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), ['10.43.0.5']);
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), []);
});

test('headless and ExternalName services get no ClusterIP', async () => {
  const { storage, store } = await setup();
  const headless = await store.create(svc('h', { clusterIP: 'None' }), ctx);
  assert.equal(spec(headless).clusterIP, 'None');
  assert.deepEqual(spec(headless).clusterIPs, ['None']);
  const ext = await store.create(
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
    ctx,
  );
  assert.equal(spec(ext).clusterIP, undefined);
  assert.equal(spec(ext).clusterIPs, undefined);
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), []);
});

test('NodePort services get node ports in range; conflicts and out-of-range ports are refused', async () => {
  const { storage, store } = await setup();
  const a = await store.create(svc('a', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 30080 }] }), ctx);
  const [p0, p1] = spec(a).ports;
  assert.ok(p0.nodePort! >= 30086 && p0.nodePort! <= 32767, `dynamic port ${p0.nodePort} above the static band`);
  assert.equal(p1.nodePort, 30080);
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), [String(p0.nodePort), '30080'].sort());
  await rejects(
    store.create(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), ctx),
    422,
    'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
  );
  await rejects(
    store.create(svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }), ctx),
    422,
    'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
  );
  // The ClusterIPs the refused creates took were given back.
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), [spec(a).clusterIP]);
});

test('TCP and UDP on one port share a node port', async () => {
  const { store } = await setup();
  const out = await store.create(
    svc('dns', { type: 'NodePort', ports: [{ name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
    ctx,
  );
  const [tcp, udp] = spec(out).ports;
  assert.ok(tcp.nodePort);
  assert.equal(udp.nodePort, tcp.nodePort);
});

test('LoadBalancer: node ports by default, none when opted out, healthCheckNodePort with Local traffic', async () => {
  const { storage, store } = await setup();
  const lb = await store.create(svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), ctx);
  const s = spec(lb);
  assert.equal(s.allocateLoadBalancerNodePorts, true);
  assert.ok(s.ports[0].nodePort);
  assert.ok(s.healthCheckNodePort && s.healthCheckNodePort !== s.ports[0].nodePort);
  const quiet = await store.create(svc('quiet', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }), ctx);
  assert.equal(spec(quiet).ports[0].nodePort, undefined);
  assert.equal(spec(quiet).healthCheckNodePort, undefined);
  assert.equal((await keys(storage, SERVICE_NODE_PORTS_PREFIX)).length, 2);
});

test('type changes allocate and release; omitted values are kept; clusterIP is immutable', async () => {
  const { storage, store, hooks } = await setup();
  const created = await store.create(svc('web', { ports: [{ name: 'http', port: 80 }] }), ctx);
  const ip = spec(created).clusterIP!;

  const np = await update(store, hooks, 'web', (o) => {
    spec(o).type = 'NodePort';
  });
  const port = spec(np).ports[0].nodePort!;
  assert.ok(port >= 30000 && port <= 32767);
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), [String(port)]);

  // A PUT of the original manifest (no clusterIP, no nodePort) keeps both.
  const put = await update(store, hooks, 'web', (o) => {
    o.spec = { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] };
  });
  assert.equal(spec(put).clusterIP, ip);
  assert.equal(spec(put).ports[0].nodePort, port);

  // Adding a port allocates, removing one releases.
  const two = await update(store, hooks, 'web', (o) => {
    spec(o).ports.push({ name: 'metrics', port: 9100 });
  });
  const extra = spec(two).ports[1].nodePort!;
  assert.equal((await keys(storage, SERVICE_NODE_PORTS_PREFIX)).length, 2);
  await update(store, hooks, 'web', (o) => {
    spec(o).ports = spec(o).ports.filter((p) => p.name !== 'http');
  });
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), [String(extra)]);

  // Back to ClusterIP with the node ports still in the object: they are dropped and released.
  const back = await update(store, hooks, 'web', (o) => {
    spec(o).type = 'ClusterIP';
    delete (o.spec as Record<string, unknown>).externalTrafficPolicy;
  });
  assert.equal(spec(back).ports[0].nodePort, undefined);
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), []);
  assert.equal(spec(back).clusterIP, ip);

  await rejects(
    update(store, hooks, 'web', (o) => {
      spec(o).clusterIP = '10.43.0.9';
      spec(o).clusterIPs = ['10.43.0.9'];
    }),
    422,
    'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.43.0.9"}: may not change once set',
  );
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), [ip]);

  // To ExternalName: the ClusterIP goes back to the pool.
  const ext = await update(store, hooks, 'web', (o) => {
    spec(o).type = 'ExternalName';
    (o.spec as Record<string, unknown>).externalName = 'example.com';
  });
  assert.equal(spec(ext).clusterIP, undefined);
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), []);

  // And back: a fresh ClusterIP.
  const again = await update(store, hooks, 'web', (o) => {
    spec(o).type = 'ClusterIP';
    delete (o.spec as Record<string, unknown>).externalName;
  });
  assert.ok(inCIDR16(spec(again).clusterIP!));
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), [spec(again).clusterIP]);
});

test('a refused update gives back what it took', async () => {
  const { storage, store, hooks } = await setup();
  await store.create(svc('taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }), ctx);
  await store.create(svc('web'), ctx);
  await rejects(
    update(store, hooks, 'web', (o) => {
      spec(o).type = 'NodePort';
      spec(o).ports = [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30500 }];
    }),
    422,
    'Service "web" is invalid: spec.ports[1].nodePort: Invalid value: 30500: provided port is already allocated',
  );
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), ['30500']);
});

test('delete releases the ClusterIP and node ports', async () => {
  const { storage, store } = await setup();
  await store.create(svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), ctx);
  assert.equal((await keys(storage, SERVICE_IPS_PREFIX)).length, 1);
  assert.equal((await keys(storage, SERVICE_NODE_PORTS_PREFIX)).length, 2);
  await store.delete('default', 'lb', {}, ctx);
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), []);
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), []);
});

test('dry run fills the values but allocates nothing', async () => {
  const { storage, store, hooks } = await setup();
  const before = await storage.currentRevision();
  const out = await store.create(svc('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), dry);
  assert.ok(inCIDR16(spec(out).clusterIP!));
  assert.ok(spec(out).ports[0].nodePort);
  assert.ok(spec(out).healthCheckNodePort);
  assert.equal(await storage.currentRevision(), before);

  await store.create(svc('a', { clusterIP: '10.43.0.7' }), ctx);
  await rejects(
    store.create(svc('b', { clusterIP: '10.43.0.7' }), dry),
    422,
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.7"}: failed to allocate IP 10.43.0.7: provided IP is already allocated',
  );
  const rev = await storage.currentRevision();
  const up = await update(store, hooks, 'a', (o) => {
    spec(o).type = 'NodePort';
  }, dry);
  assert.ok(spec(up).ports[0].nodePort);
  assert.equal(await storage.currentRevision(), rev);
  assert.deepEqual(await keys(storage, SERVICE_NODE_PORTS_PREFIX), []);
});

test('two stores on one storage never hand out the same address', async () => {
  const storage = await openMemoryStorage();
  const one = await setup('10.0.0.0/24', storage);
  const two = await setup('10.0.0.0/24', storage);
  const creates: Promise<KubeObject>[] = [];
  for (let i = 0; i < 110; i++) {
    creates.push(one.store.create(svc(`a${i}`), ctx));
    creates.push(two.store.create(svc(`b${i}`), ctx));
  }
  const made = await Promise.all(creates);
  const ips = made.map((o) => spec(o).clusterIP!);
  assert.equal(new Set(ips).size, ips.length);
  assert.equal((await keys(storage, SERVICE_IPS_PREFIX)).length, ips.length);
  assert.ok(!ips.includes('10.0.0.1'), 'the first address stays for the kubernetes service');
});

test('a full range answers 500 and leaks nothing', async () => {
  const { storage, store } = await setup('10.9.0.0/29');
  // .1 is reserved for explicit use, .0 and .7 are network and broadcast: five dynamic addresses.
  for (let i = 0; i < 5; i++) await store.create(svc(`s${i}`), ctx);
  await rejects(store.create(svc('more'), ctx), 500, 'Internal error occurred: failed to allocate a serviceIP: range is full');
  assert.deepEqual(await keys(storage, SERVICE_IPS_PREFIX), ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
  const k = await store.create(svc('kubernetes', { clusterIP: '10.9.0.1' }), ctx);
  assert.equal(spec(k).clusterIP, '10.9.0.1');
});
