/**
 * Every acknowledged write survives kill -9: a child writes flat out, the parent kills it
 * after a few thousand acks, reopens the store and looks for every acked write.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStorage } from './sqlite-storage.js';

const writerScript = fileURLToPath(new URL('./durability-writer.js', import.meta.url));
const acksBeforeKill = 2000;

test('sqlite: every acknowledged write survives SIGKILL', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-durability-'));
  const path = join(dir, 'state.db');
  try {
    const child = spawn(process.execPath, [writerScript, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const acks: { key: string; revision: number }[] = [];
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      if (line === 'ready') continue;
      const [key, revision] = line.split(' ');
      acks.push({ key, revision: Number(revision) });
      if (acks.length === acksBeforeKill) process.kill(child.pid!, 'SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    assert.ok(acks.length >= acksBeforeKill, `saw ${acks.length} acks`);

    const storage = await openSqliteStorage({ path });
    try {
      for (const ack of acks) {
        const kv = await storage.get(ack.key);
        assert.ok(kv, `acknowledged write ${ack.key}@${ack.revision} is missing`);
        assert.equal(kv.modRevision, ack.revision);
        assert.equal(kv.value, `{"key":"${ack.key}","pad":"${'x'.repeat(200)}"}`);
      }
      const revisions = acks.map((a) => a.revision);
      assert.equal(new Set(revisions).size, revisions.length, 'revisions are distinct');
      const listed = await storage.list('/registry/durability/');
      const byRevision = listed.items.map((kv) => kv.modRevision).sort((a, b) => a - b);
      for (let i = 1; i < byRevision.length; i++) assert.ok(byRevision[i] > byRevision[i - 1]);
      const last = Math.max(...revisions);
      assert.ok((await storage.currentRevision()) >= last);
      const next = await storage.create('/registry/durability/after-restart', 'x');
      assert.ok(next.modRevision > last && next.modRevision > byRevision[byRevision.length - 1]);
    } finally {
      await storage.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
