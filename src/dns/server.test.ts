import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { startControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { Resources } from '../client/index.js';
import { startClusterDNS, type ClusterDNS } from './server.js';
import { startFakeUpstream, type FakeUpstream } from './testing/fake-upstream.js';
import { query, queryMessage, udpExchange } from './testing/raw-query.js';
import { decodeMessage } from './wire/decode.js';
import { RCode, RRType, type Message } from './wire/message.js';

let cp: TestControlPlane;
let dns: ClusterDNS;
let upstream: FakeUpstream;
let port: number;
let resolver: Resolver;

const slice = (name: string, service: string, endpoints: { ip: string; hostname?: string; ready?: boolean }[], ports: { name: string; port: number; protocol?: string }[]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: endpoints.map((e) => ({ addresses: [e.ip], ...(e.hostname ? { hostname: e.hostname } : {}), conditions: { ready: e.ready ?? true } })),
  ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
});

before(async () => {
  cp = await startControlPlane();
  const c = cp.client('dns-test');
  const svc = (name: string, spec: Record<string, unknown>) => c.create(Resources.services, 'default', { metadata: { name }, spec });
  await svc('httpenv', { clusterIP: '10.43.0.50', ports: [{ name: 'http', port: 8888, protocol: 'TCP' }] });
  await svc('basecoin', { clusterIP: 'None', ports: [{ name: 'p2p', port: 26656 }] });
  await svc('empty-headless', { clusterIP: 'None', ports: [{ name: 'x', port: 1 }] });
  await svc('big', { clusterIP: 'None', ports: [{ name: 'x', port: 1 }] });
  await svc('ext', { type: 'ExternalName', externalName: 'db.example.test' });
  await c.create(Resources.endpointslices, 'default', slice('basecoin-abc', 'basecoin', [{ ip: '10.42.0.5', hostname: 'tm-0' }, { ip: '10.42.0.6', hostname: 'tm-1' }, { ip: '10.42.0.7', hostname: 'tm-2', ready: false }], [{ name: 'p2p', port: 26656 }]));
  const many = Array.from({ length: 60 }, (_, i) => ({ ip: `10.42.1.${i + 1}` }));
  await c.create(Resources.endpointslices, 'default', slice('big-abc', 'big', many, [{ name: 'x', port: 1 }]));
  upstream = await startFakeUpstream('192.0.2.10');
  dns = await startClusterDNS({ client: c, clock: cp.clock, log: cp.log, listen: [{ address: '127.0.0.1', port: 0 }], upstream: [`127.0.0.1:${upstream.port}`], clusterDNSIPs: ['10.43.0.10'] });
  port = dns.addresses[0]!.port;
  resolver = new Resolver({ tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
});

after(async () => {
  await dns.close();
  await upstream.close();
  await cp.close();
});

const addresses = (m: Message) => m.answers.map((a) => ('address' in a.data ? a.data.address : '')).sort();

test('ClusterIP service: A is the ClusterIP, names are case-insensitive, TTL 5', async () => {
  assert.deepEqual(await resolver.resolve4('httpenv.default.svc.cluster.local'), ['10.43.0.50']);
  const m = await query(port, 'HTTPenv.Default.SVC.cluster.LOCAL', RRType.A);
  assert.equal(m.aa, true);
  assert.deepEqual(addresses(m), ['10.43.0.50']);
  assert.equal(m.answers[0]!.ttl, 5);
});

test('negative answers: NXDOMAIN for missing names, NODATA for names without the type, SOA in authority', async () => {
  const cases: [string, number, number, number][] = [
    ['nope.default.svc.cluster.local', RRType.A, RCode.NXDOMAIN, 0],
    ['httpenv.nosuchns.svc.cluster.local', RRType.A, RCode.NXDOMAIN, 0],
    ['httpenv.default.svc.cluster.local', RRType.AAAA, RCode.NOERROR, 0],
    ['default.svc.cluster.local', RRType.A, RCode.NOERROR, 0],
    ['svc.cluster.local', RRType.A, RCode.NOERROR, 0],
    ['foo.cluster.local', RRType.A, RCode.NXDOMAIN, 0],
    ['a.b.c.httpenv.default.svc.cluster.local', RRType.A, RCode.NXDOMAIN, 0],
    ['empty-headless.default.svc.cluster.local', RRType.A, RCode.NOERROR, 0],
  ];
  for (const [name, type, rcode, count] of cases) {
    const m = await query(port, name, type);
    assert.equal(m.rcode, rcode, name);
    assert.equal(m.answers.length, count, name);
    const soa = m.authorities[0]?.data;
    assert.ok(soa && 'mname' in soa, `${name} has SOA`);
    assert.equal(soa.mname, 'ns.dns.cluster.local');
    assert.equal(soa.rname, 'hostmaster.cluster.local');
    assert.equal(m.authorities[0]!.name, 'cluster.local');
  }
});

test('headless service: one A per ready endpoint; StatefulSet hostnames', async () => {
  assert.deepEqual((await resolver.resolve4('basecoin.default.svc.cluster.local')).sort(), ['10.42.0.5', '10.42.0.6']);
  assert.deepEqual(await resolver.resolve4('tm-1.basecoin.default.svc.cluster.local'), ['10.42.0.6']);
  assert.equal((await query(port, 'tm-2.basecoin.default.svc.cluster.local', RRType.A)).rcode, RCode.NXDOMAIN, 'not-ready endpoint is not published');
});

test('SRV for named ports: ClusterIP targets the service, headless targets each endpoint', async () => {
  assert.deepEqual(await resolver.resolveSrv('_http._tcp.httpenv.default.svc.cluster.local'), [{ name: 'httpenv.default.svc.cluster.local', port: 8888, priority: 0, weight: 100 }]);
  const srv = await resolver.resolveSrv('_p2p._tcp.basecoin.default.svc.cluster.local');
  assert.deepEqual(srv.map((s) => `${s.name}:${s.port}:${s.weight}`).sort(), ['tm-0.basecoin.default.svc.cluster.local:26656:50', 'tm-1.basecoin.default.svc.cluster.local:26656:50']);
  const m = await query(port, '_http._tcp.httpenv.default.svc.cluster.local', RRType.SRV);
  assert.deepEqual(addresses({ ...m, answers: m.additionals }), ['10.43.0.50'], 'glue A in additional section');
  assert.equal((await query(port, '_nope._tcp.httpenv.default.svc.cluster.local', RRType.SRV)).rcode, RCode.NXDOMAIN);
  assert.equal((await query(port, '_http._udp.httpenv.default.svc.cluster.local', RRType.SRV)).rcode, RCode.NXDOMAIN);
});

test('pod A records from the name', async () => {
  assert.deepEqual(await resolver.resolve4('10-42-0-9.default.pod.cluster.local'), ['10.42.0.9']);
  assert.equal((await query(port, 'not-an-ip.default.pod.cluster.local', RRType.A)).rcode, RCode.NXDOMAIN);
  assert.equal((await query(port, '10-42-0-9.nosuchns.pod.cluster.local', RRType.A)).rcode, RCode.NXDOMAIN);
});

test('PTR for ClusterIPs and endpoint addresses; unknown addresses go upstream', async () => {
  assert.deepEqual(await resolver.reverse('10.43.0.50'), ['httpenv.default.svc.cluster.local']);
  assert.deepEqual(await resolver.reverse('10.42.0.6'), ['tm-1.basecoin.default.svc.cluster.local']);
  const m = await query(port, '9.9.9.10.in-addr.arpa', RRType.PTR);
  assert.equal(m.rcode, RCode.NXDOMAIN, 'the fake upstream answers NXDOMAIN for PTR');
  assert.ok(upstream.queries.includes('9.9.9.10.in-addr.arpa/12'));
});

test('ExternalName: CNAME plus the target resolved upstream', async () => {
  const m = await query(port, 'ext.default.svc.cluster.local', RRType.A);
  assert.equal(m.rcode, RCode.NOERROR);
  assert.deepEqual(m.answers.map((a) => a.data), [{ type: RRType.CNAME, target: 'db.example.test' }, { type: RRType.A, address: '192.0.2.10' }]);
  assert.deepEqual(await resolver.resolveCname('ext.default.svc.cluster.local'), ['db.example.test']);
});

test('names outside the cluster domain are forwarded with the client ID kept', async () => {
  const raw = await udpExchange(port, queryMessage('www.example.test', RRType.A, { id: 0xbeef }));
  const m = decodeMessage(raw);
  assert.equal(m.id, 0xbeef);
  assert.deepEqual(addresses(m), ['192.0.2.10']);
  assert.deepEqual(await resolver.resolve4('other.example.test'), ['192.0.2.10']);
});

test('upstream failure is SERVFAIL', async () => {
  const dead = await startFakeUpstream();
  const deadPort = dead.port;
  await dead.close();
  const c = cp.client('dns-test-2');
  const s = await startClusterDNS({ client: c, clock: cp.clock, log: cp.log, listen: [{ address: '127.0.0.1', port: 0 }], upstream: [`127.0.0.1:${deadPort}`], upstreamTimeoutMs: 200 });
  try {
    assert.equal((await query(s.addresses[0]!.port, 'www.example.test', RRType.A)).rcode, RCode.SERVFAIL);
  } finally {
    await s.close();
  }
});

test('large UDP answers are truncated (TC) and complete over TCP', async () => {
  const udp = await query(port, 'big.default.svc.cluster.local', RRType.A);
  assert.equal(udp.tc, true);
  assert.ok(udp.answers.length < 60);
  const tcp = await query(port, 'big.default.svc.cluster.local', RRType.A, { tcp: true });
  assert.equal(tcp.tc, false);
  assert.equal(tcp.answers.length, 60);
  const edns = await query(port, 'big.default.svc.cluster.local', RRType.A, { edns: { udpSize: 4096, extendedRcode: 0, version: 0, flags: 0, options: new Uint8Array() } });
  assert.equal(edns.tc, false, 'EDNS0 size lets the whole answer through UDP');
  assert.equal(edns.answers.length, 60);
  assert.equal(edns.edns?.udpSize, 1232);
  // The stub resolver retries over TCP by itself.
  assert.equal((await resolver.resolve4('big.default.svc.cluster.local')).length, 60);
});

test('zone apex and dns-version', async () => {
  const soa = await query(port, 'cluster.local', RRType.SOA);
  assert.equal(soa.answers[0]!.data.type, RRType.SOA);
  const ns = await query(port, 'cluster.local', RRType.NS);
  assert.deepEqual(ns.answers.map((a) => a.data), [{ type: RRType.NS, target: 'ns.dns.cluster.local' }]);
  assert.deepEqual(addresses({ ...ns, answers: ns.additionals }), ['10.43.0.10']);
  assert.deepEqual(await resolver.resolveTxt('dns-version.cluster.local'), [['1.1.0']]);
});

test('services appear and disappear as the API changes', async () => {
  const c = cp.client('dns-test-3');
  await c.create(Resources.services, 'default', { metadata: { name: 'late' }, spec: { clusterIP: '10.43.0.77', ports: [{ port: 80 }] } });
  let m = await query(port, 'late.default.svc.cluster.local', RRType.A);
  for (let i = 0; i < 100 && m.answers.length === 0; i++) {
    await new Promise((r) => setImmediate(r));
    m = await query(port, 'late.default.svc.cluster.local', RRType.A);
  }
  assert.deepEqual(addresses(m), ['10.43.0.77']);
  await c.delete(Resources.services, 'default', 'late');
  for (let i = 0; i < 100 && m.rcode !== RCode.NXDOMAIN; i++) m = await query(port, 'late.default.svc.cluster.local', RRType.A);
  assert.equal(m.rcode, RCode.NXDOMAIN);
});
