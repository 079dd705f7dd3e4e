import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConformance } from '../conformance/suite.js';
import { MemoryStorage } from './memory-storage.js';

runConformance('memory', async () => {
  const storage = new MemoryStorage();
  return { storage, cleanup: () => storage.close() };
});

test('memory: a handler that writes does not reorder events for other watchers', async () => {
  const storage = new MemoryStorage();
  const seen: number[] = [];
  let wrote = false;
  const first = storage.watch('/registry/', 0, {
    onEvents: (events) => {
      if (!wrote) {
        wrote = true;
        void storage.create('/registry/from-handler', 'x');
      }
      assert.ok(events.length > 0);
    },
    onError: () => {},
  });
  const second = storage.watch('/registry/', 0, { onEvents: (events) => seen.push(...events.map((e) => e.revision)), onError: () => {} });
  await new Promise((resolve) => setImmediate(resolve));
  await storage.create('/registry/a', '1');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, [1, 2]);
  first.close();
  second.close();
  await storage.close();
});
