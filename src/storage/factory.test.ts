import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStorage, UnsupportedEndpointError } from './factory.js';

test('openStorage picks the backend from the datastore endpoint', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-factory-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  const sqlite = await openStorage({ dataDir: dir });
  assert.equal(sqlite.backend, 'sqlite');
  assert.ok(existsSync(join(dir, 'db', 'state.db')));
  await sqlite.close();

  const memory = await openStorage({ dataDir: dir, datastoreEndpoint: 'memory://' });
  assert.equal(memory.backend, 'memory');
  await memory.close();

  for (const endpoint of ['mysql://u:p@tcp(h:3306)/db', 'http://h1:2379,postgres://x']) {
    await assert.rejects(openStorage({ dataDir: dir, datastoreEndpoint: endpoint }), UnsupportedEndpointError);
  }
});
