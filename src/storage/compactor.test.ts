import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../base/clock.js';
import { startCompactor } from './compactor.js';
import { MemoryStorage } from './memory/memory-storage.js';

test('compactor keeps the newest keepRevisions revisions, once per interval', async () => {
  const storage = new MemoryStorage();
  const clock = new FakeClock();
  const compactor = startCompactor(storage, { intervalMs: 1000, keepRevisions: 10, clock });
  try {
    let kv = await storage.create('/registry/leases/n1', '0');
    for (let i = 1; i < 25; i++) kv = await storage.update('/registry/leases/n1', String(i), kv.modRevision);
    assert.equal(await storage.compactedRevision(), 0);

    clock.advance(999);
    assert.equal(await compactor.compactNow().then(() => storage.compactedRevision()), 15);
    // Nothing new to drop: no second compaction at the same target.
    assert.equal(await compactor.compactNow(), 0);

    for (let i = 25; i < 30; i++) kv = await storage.update('/registry/leases/n1', String(i), kv.modRevision);
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await storage.compactedRevision(), 20);
    assert.equal((await storage.get('/registry/leases/n1'))?.value, '29');
  } finally {
    await compactor.close();
    await storage.close();
  }
});

test('compactor does nothing while the store holds fewer than keepRevisions revisions', async () => {
  const storage = new MemoryStorage();
  const clock = new FakeClock();
  const compactor = startCompactor(storage, { clock });
  await storage.create('/registry/a', 'x');
  clock.advance(5 * 60_000);
  assert.equal(await compactor.compactNow(), 0);
  assert.equal(await storage.compactedRevision(), 0);
  await compactor.close();
  await storage.close();
});
