import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { Resources } from './resources.js';
import { isNotFound } from './errors.js';
import { LeaderElector } from './leader-election.js';
import { silentLogger } from '../base/logger.js';
import { realClock } from '../base/clock.js';

let cp: TestControlPlane;
before(async () => {
  cp = await startControlPlane();
});
after(async () => {
  await cp.close();
});

test('CRUD over the in-process transport with typed errors', async () => {
  const c = cp.client();
  const created = await c.create(Resources.configmaps, 'default', { metadata: { name: 'a' }, data: { x: '1' } });
  assert.equal(created.metadata.name, 'a');
  const got = await c.get(Resources.configmaps, 'default', 'a');
  assert.deepEqual(got.data, { x: '1' });
  const patched = await c.patch(Resources.configmaps, 'default', 'a', 'merge', { data: { x: '2' } });
  assert.deepEqual(patched.data, { x: '2' });
  await c.delete(Resources.configmaps, 'default', 'a');
  await assert.rejects(c.get(Resources.configmaps, 'default', 'a'), (e: unknown) => isNotFound(e));
});

test('an informer lists, then follows adds, updates and deletes', async () => {
  const c = cp.client();
  await c.create(Resources.configmaps, 'default', { metadata: { name: 'pre' } });
  const factory = cp.informers(c);
  const inf = factory.forResource(Resources.configmaps, { namespace: 'default' });
  const seen: string[] = [];
  let resolveDone: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  inf.addEventHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}`),
    onUpdate: (_o, n) => seen.push(`update ${n.metadata.name}`),
    onDelete: (o) => {
      seen.push(`delete ${o.metadata.name}`);
      if (o.metadata.name === 'live') resolveDone();
    },
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  await factory.waitForSync();
  assert.ok(inf.store.getByName('default', 'pre'));
  await c.create(Resources.configmaps, 'default', { metadata: { name: 'live' } });
  await c.patch(Resources.configmaps, 'default', 'live', 'merge', { data: { a: 'b' } });
  await c.delete(Resources.configmaps, 'default', 'live');
  await done;
  ac.abort();
  assert.deepEqual(seen, ['add pre', 'add live', 'update live', 'delete live']);
  assert.equal(inf.store.getByName('default', 'live'), undefined);
});

test('one leader at a time; leadership passes on when the leader stops', async () => {
  const mk = (identity: string, onLead: (s: AbortSignal) => void) =>
    new LeaderElector({ client: cp.client(identity), clock: realClock, log: silentLogger, namespace: 'kube-system', name: 'test-lock', identity, retryPeriodMs: 20, leaseDurationMs: 15_000, onStartedLeading: onLead });
  let leaderA = false;
  let resolveB: () => void;
  const bLeads = new Promise<void>((r) => (resolveB = r));
  const a = mk('a', () => (leaderA = true));
  const b = mk('b', () => resolveB());
  const acA = new AbortController();
  const acB = new AbortController();
  const runA = a.run(acA.signal);
  while (!leaderA) await new Promise((r) => setTimeout(r, 5));
  const runB = b.run(acB.signal);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(b.isLeader(), false, 'b cannot lead while a renews');
  acA.abort();
  await runA;
  await bLeads;
  assert.equal(b.isLeader(), true);
  acB.abort();
  await runB;
});
