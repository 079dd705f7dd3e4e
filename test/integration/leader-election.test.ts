/**
 * Two servers on one etcd: one controller manager and one scheduler lead; killing the leading
 * server hands both leases to the other, whose controllers then do the work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestServer } from '../../src/testing/test-server.js';
import { etcdAvailable, startEtcd } from '../../src/testing/etcd-server.js';

test('killing the leader hands leadership to the other server', { skip: etcdAvailable() ? false : 'etcd (Debian etcd-server) is not installed' }, async () => {
  const etcd = await startEtcd();
  const a = await startTestServer({ args: ['--datastore-endpoint', etcd.endpoint] });
  let b: Awaited<ReturnType<typeof startTestServer>> | undefined;
  try {
    const holder = async (srv: typeof a, lease: string) =>
      (await srv.kubectl(['get', 'lease', '-n', 'kube-system', lease, '-o', 'jsonpath={.spec.holderIdentity}'])).stdout.trim();
    // A starts alone, so it leads both.
    let first = '';
    for (let i = 0; i < 100 && !first; i++) {
      first = await holder(a, 'skiff-controller-manager');
      if (!first) await delay(100);
    }
    assert.ok(first, 'a controller-manager lease holder appears');
    b = await startTestServer({ args: ['--datastore-endpoint', etcd.endpoint, '--simulate-nodes', '1'] });
    assert.equal(await holder(b, 'skiff-controller-manager'), first, 'b sees a as leader and does not take over');
    a.process.kill('SIGKILL');
    // The lease lasts 15 s; B takes over once it expires.
    let next = first;
    for (let i = 0; i < 120 && next === first; i++) {
      await delay(250);
      next = await holder(b, 'skiff-controller-manager');
    }
    assert.notEqual(next, first, 'leadership moved');
    let sched = '';
    for (let i = 0; i < 120 && (sched === '' || sched === first); i++) {
      sched = await holder(b, 'skiff-scheduler');
      if (sched === first || sched === '') await delay(250);
    }
    assert.equal(sched, next, 'the scheduler lease moved to the same server');
    const create = await b.kubectl(['create', 'deployment', 'after', '--image=busybox', '--replicas=1']);
    assert.equal(create.code, 0, create.stderr);
    const rollout = await b.kubectl(['rollout', 'status', 'deployment/after', '--timeout=60s']);
    assert.equal(rollout.code, 0, rollout.stdout + rollout.stderr);
  } finally {
    await b?.stop();
    await a.stop();
    await etcd.stop();
  }
});
