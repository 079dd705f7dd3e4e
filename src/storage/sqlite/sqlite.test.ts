import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runConformance } from '../conformance/suite.js';
import { openSqliteStorage } from './sqlite-storage.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
}

runConformance('sqlite', async () => {
  const dir = await tempDir();
  const storage = await openSqliteStorage({ path: join(dir, 'db', 'state.db') });
  return {
    storage,
    cleanup: async () => {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('sqlite: revisions, data and the compacted revision survive a reopen', async () => {
  const dir = await tempDir();
  const path = join(dir, 'state.db');
  try {
    let s = await openSqliteStorage({ path });
    const a = await s.create('/registry/a', '1');
    await s.delete('/registry/a');
    const b = await s.create('/registry/b', '2');
    const tomb = await s.delete('/registry/b');
    await s.compact(tomb.modRevision);
    await s.close();

    s = await openSqliteStorage({ path });
    // The newest row (a tombstone) was compacted away; the revision must not go back.
    assert.equal(await s.currentRevision(), tomb.modRevision);
    assert.equal(await s.compactedRevision(), tomb.modRevision);
    await assert.rejects(s.list('/registry/', { revision: a.modRevision }), { code: 'Compacted' });
    const c = await s.create('/registry/b', '3');
    assert.equal(c.modRevision, tomb.modRevision + 1);
    assert.ok(c.createRevision > b.createRevision);
    await s.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sqlite: writes issued together share one transaction yet keep their own results', async () => {
  const dir = await tempDir();
  try {
    const s = await openSqliteStorage({ path: join(dir, 'state.db') });
    const first = await s.create('/registry/x', '0');
    const results = await Promise.allSettled([
      s.create('/registry/y', '1'),
      s.create('/registry/x', 'dup'), // fails alone
      s.update('/registry/x', '2', first.modRevision),
      s.update('/registry/x', '3', first.modRevision), // sees the previous update of its group
      s.delete('/registry/y'),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    assert.equal((results[1] as PromiseRejectedResult).reason.code, 'KeyExists');
    assert.equal((results[3] as PromiseRejectedResult).reason.code, 'Conflict');
    const revs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.modRevision] : []));
    assert.deepEqual(revs, [first.modRevision + 1, first.modRevision + 2, first.modRevision + 3]);
    assert.equal((await s.get('/registry/x'))?.value, '2');
    assert.equal(await s.get('/registry/y'), undefined);
    await s.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sqlite: compaction deletes superseded rows and tombstones only', async () => {
  const dir = await tempDir();
  try {
    const s = await openSqliteStorage({ path: join(dir, 'state.db') });
    let kv = await s.create('/registry/lease', '0');
    for (let i = 1; i <= 3000; i++) kv = await s.update('/registry/lease', String(i), kv.modRevision);
    await s.create('/registry/gone', 'x');
    await s.delete('/registry/gone');
    const keep = await s.create('/registry/keep', 'k');
    await s.compact(await s.currentRevision());
    const { default: Database } = await import('better-sqlite3');
    await s.close();
    const db = new Database(join(dir, 'state.db'), { readonly: true });
    const rows = db.prepare('SELECT name, value FROM kv ORDER BY id').all();
    db.close();
    assert.deepEqual(rows, [
      { name: '/registry/lease', value: '3000' },
      { name: '/registry/keep', value: keep.value },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sqlite: close lets writes already issued commit, and they survive a reopen', async () => {
  const dir = await tempDir();
  const path = join(dir, 'state.db');
  try {
    let s = await openSqliteStorage({ path });
    const writes = Array.from({ length: 100 }, (_, i) => s.create(`/registry/drain/k${i}`, String(i)));
    await s.close();
    const acked = await Promise.all(writes);
    await assert.rejects(s.create('/registry/drain/late', 'x'), { code: 'Closed' });
    s = await openSqliteStorage({ path });
    assert.equal(await s.count('/registry/drain/'), 100);
    assert.equal(await s.currentRevision(), Math.max(...acked.map((kv) => kv.modRevision)));
    await s.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
