import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StorageClosedError, type WatchEvent } from '../interface.js';
import { WriterThread } from './writer-thread.js';

test('writer thread: a worker that dies fails pending and later calls instead of hanging', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-writer-'));
  try {
    // A regular file where the database folder should be: the worker cannot open the store.
    await writeFile(join(dir, 'not-a-dir'), '');
    const failures: Error[] = [];
    const committed: WatchEvent[][] = [];
    const writer = new WriterThread(join(dir, 'not-a-dir', 'state.db'), {
      committed: (events) => committed.push(events),
      failed: (err) => failures.push(err),
    });
    const pending = writer.write({ type: 'create', key: '/registry/a', value: '1' });
    await assert.rejects(pending, (err) => err instanceof StorageClosedError && /writer thread failed/.test(err.message));
    assert.equal(failures.length, 1);
    await assert.rejects(writer.write({ type: 'create', key: '/registry/b', value: '2' }), StorageClosedError);
    await assert.rejects(writer.compact(1), StorageClosedError);
    await writer.close();
    assert.deepEqual(committed, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writer thread: groups settle in order with their events published first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-writer-'));
  try {
    const log: string[] = [];
    const writer = new WriterThread(join(dir, 'state.db'), {
      committed: (events, revision) => log.push(`committed ${events.map((e) => `${e.type}@${e.revision}`).join(',')} -> ${revision}`),
      failed: (err) => log.push(`failed ${err.message}`),
    });
    const results = await Promise.allSettled([
      writer.write({ type: 'create', key: '/registry/a', value: '1' }).then((kv) => (log.push(`ack ${kv.modRevision}`), kv)),
      writer.write({ type: 'update', key: '/registry/a', value: '2', expected: 7 }),
      writer.write({ type: 'update', key: '/registry/a', value: '2', expected: 1 }).then((kv) => (log.push(`ack ${kv.modRevision}`), kv)),
      writer.write({ type: 'delete', key: '/registry/a' }).then((kv) => (log.push(`ack ${kv.modRevision}`), kv)),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.equal((results[1] as PromiseRejectedResult).reason.code, 'Conflict');
    const deleted = (results[3] as PromiseFulfilledResult<{ value: string; createRevision: number }>).value;
    assert.equal(deleted.value, '2');
    assert.equal(deleted.createRevision, 1);
    assert.deepEqual(log, ['committed create@1,update@2,delete@3 -> 3', 'ack 1', 'ack 2', 'ack 3']);
    await writer.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
