import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { openMemoryStorage } from '../../storage/index.js';
import { SERVICE_IPS_PREFIX, SERVICE_NODE_PORTS_PREFIX } from './allocation-record.js';
import { listServicesFromStorage, repairAllocations } from './repair.js';

const record = (name: string, uid: string, allocatedAt = 0) => JSON.stringify({ namespace: 'default', name, uid, allocatedAt });

function svc(name: string, uid: string, clusterIP: string, nodePort?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid },
    spec: { type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ port: 80, nodePort }] },
  };
}

test('repair releases orphans, keeps owned and young keys, and records what Services hold', async () => {
  const storage = await openMemoryStorage();
  const live = svc('web', 'uid-web', '10.43.1.1', 30100);
  const recreated = svc('db', 'uid-db-2', '10.43.1.3');
  await storage.create('/registry/services/default/web', JSON.stringify(live));
  await storage.create('/registry/services/default/db', JSON.stringify(recreated));
  await storage.create(`${SERVICE_IPS_PREFIX}10.43.1.1`, record('web', 'uid-web'));
  await storage.create(`${SERVICE_NODE_PORTS_PREFIX}30100`, record('web', 'uid-web'));
  // Left by a crash after allocation, before the Service was written.
  await storage.create(`${SERVICE_IPS_PREFIX}10.43.1.2`, record('gone', 'uid-gone'));
  await storage.create(`${SERVICE_NODE_PORTS_PREFIX}30200`, record('gone', 'uid-gone'));
  // Held by an earlier Service of the same name.
  await storage.create(`${SERVICE_IPS_PREFIX}10.43.1.3`, record('db', 'uid-db-1'));
  // Another server may be creating this one right now.
  await storage.create(`${SERVICE_IPS_PREFIX}10.43.1.4`, record('new', 'uid-new', 1_000_000));

  const report = await repairAllocations(storage, () => listServicesFromStorage(storage), {
    clock: { now: () => 1_000_500 },
    minAgeMs: 60_000,
  });
  assert.deepEqual(report.released.sort(), ['ip 10.43.1.2', 'ip 10.43.1.3', 'port 30200']);
  assert.deepEqual(report.claimed, ['ip 10.43.1.3']);
  assert.deepEqual(report.conflicts, []);
  const ips = (await storage.list(SERVICE_IPS_PREFIX)).items.map((kv) => kv.key.slice(SERVICE_IPS_PREFIX.length));
  assert.deepEqual(ips, ['10.43.1.1', '10.43.1.3', '10.43.1.4']);
  const db = await storage.get(`${SERVICE_IPS_PREFIX}10.43.1.3`);
  assert.equal(JSON.parse(db!.value).uid, 'uid-db-2');
  const ports = (await storage.list(SERVICE_NODE_PORTS_PREFIX)).items.map((kv) => kv.key);
  assert.deepEqual(ports, [`${SERVICE_NODE_PORTS_PREFIX}30100`]);

  // Once old enough, the unclaimed young record goes too; a second run changes nothing else.
  const later = await repairAllocations(storage, () => listServicesFromStorage(storage), { clock: { now: () => 2_000_000 } });
  assert.deepEqual(later, { released: ['ip 10.43.1.4'], claimed: [], conflicts: [] });
});

test('repair leaves a value two live Services claim alone and reports it', async () => {
  const storage = await openMemoryStorage();
  const a = svc('a', 'uid-a', '10.43.1.9');
  const b = svc('b', 'uid-b', '10.43.1.9');
  await storage.create(`${SERVICE_IPS_PREFIX}10.43.1.9`, record('a', 'uid-a'));
  const report = await repairAllocations(storage, async () => [a, b], { minAgeMs: 0 });
  assert.deepEqual(report, { released: [], claimed: [], conflicts: ['ip 10.43.1.9'] });
  assert.equal(JSON.parse((await storage.get(`${SERVICE_IPS_PREFIX}10.43.1.9`))!.value).uid, 'uid-a');
});
