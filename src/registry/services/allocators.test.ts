import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStorage } from '../../storage/index.js';
import { AllocationError } from './allocation-error.js';
import { firstServiceIP, ServiceIPAllocator } from './ip-allocator.js';
import { NodePortAllocator, parsePortRange } from './port-allocator.js';

const owner = { namespace: 'default', name: 's', uid: 'u1' };

test('service CIDR parsing and the kubernetes address', () => {
  const cases: [string, string][] = [
    ['10.43.0.0/16', '10.43.0.1'],
    ['10.96.5.7/12', '10.96.0.1'],
    ['192.168.10.0/24', '192.168.10.1'],
  ];
  for (const [cidr, first] of cases) assert.equal(firstServiceIP(cidr), first);
  assert.throws(() => firstServiceIP('10.43.0.0'));
});

test('ip allocator: range edges, explicit conflict, ownership-checked release', async () => {
  const storage = await openMemoryStorage();
  const ips = new ServiceIPAllocator({ storage, serviceCIDR: '10.1.0.0/28' });
  for (const [ip, ok] of [['10.1.0.0', false], ['10.1.0.1', true], ['10.1.0.14', true], ['10.1.0.15', false], ['10.2.0.3', false], ['x', false]] as const) {
    assert.equal(ips.contains(ip), ok, ip);
  }
  await ips.allocate('10.1.0.3', owner);
  await assert.rejects(ips.allocate('10.1.0.3', { ...owner, uid: 'u2' }), (e: unknown) => e instanceof AllocationError && e.code === 'Allocated');
  await assert.rejects(ips.check('10.1.0.3'), (e: unknown) => e instanceof AllocationError && e.code === 'Allocated');
  assert.equal(await ips.release('10.1.0.3', 'u2'), false, 'someone else cannot free it');
  assert.equal(await ips.release('10.1.0.3', 'u1'), true);
  assert.equal(await ips.holder('10.1.0.3'), undefined);
  // Dynamic allocation never gives the network, broadcast or first address.
  const got = new Set<string>();
  for (let i = 0; i < 13; i++) got.add(await ips.allocateNext({ ...owner, uid: `d${i}` }));
  assert.equal(got.size, 13);
  for (const ip of ['10.1.0.0', '10.1.0.1', '10.1.0.15']) assert.ok(!got.has(ip));
  await assert.rejects(ips.allocateNext(owner), (e: unknown) => e instanceof AllocationError && e.code === 'Full');
  await assert.rejects(ips.peekNext(), (e: unknown) => e instanceof AllocationError && e.code === 'Full');
});

test('port allocator: range parsing, static band preference, exhaustion', async () => {
  assert.deepEqual(parsePortRange('30000-32767'), { base: 30000, size: 2768 });
  assert.deepEqual(parsePortRange('31000'), { base: 31000, size: 1 });
  for (const bad of ['', '0-10', '20-10', '1-70000', 'a-b']) assert.throws(() => parsePortRange(bad), bad);
  const storage = await openMemoryStorage();
  const ports = new NodePortAllocator({ storage, nodePortRange: '30000-30039' });
  // 40 ports: a 16-port static band (30000-30015) is used only after the rest is gone.
  const first: number[] = [];
  for (let i = 0; i < 24; i++) first.push(await ports.allocateNext(owner));
  assert.ok(first.every((p) => p >= 30016 && p <= 30039), String(first));
  for (let i = 0; i < 16; i++) {
    const p = await ports.allocateNext(owner);
    assert.ok(p >= 30000 && p < 30016);
  }
  await assert.rejects(ports.allocateNext(owner), (e: unknown) => e instanceof AllocationError && e.message === 'range is full');
  await assert.rejects(
    ports.allocate(30040, owner),
    (e: unknown) => e instanceof AllocationError && e.message === 'provided port is not in the valid range. The range of valid ports is 30000-30039',
  );
});
