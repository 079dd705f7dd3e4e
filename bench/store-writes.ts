/**
 * Raw sqlite store create throughput: 32 concurrent writers, 1 KiB values, N writes
 * (default 20000; `node bench/store-writes.js [N]`). The API server benchmark compares
 * its create throughput against this figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';

const total = Number(process.argv[2] ?? 20000);
const writers = 32;
const value = JSON.stringify({ pad: 'x'.repeat(1024 - 10) });

const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-'));
try {
  const storage = await openSqliteStorage({ path: join(dir, 'state.db') });
  let next = 0;
  const writer = async () => {
    for (let i = next++; i < total; i = next++) await storage.create(`/registry/bench/obj-${i}`, value);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: writers }, writer));
  const seconds = (performance.now() - start) / 1000;
  await storage.close();
  console.log(`sqlite store: ${total} creates, ${writers} writers, 1 KiB values: ${Math.round(total / seconds)} writes/s (${seconds.toFixed(2)} s)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
