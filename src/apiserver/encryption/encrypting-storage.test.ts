import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStorage } from '../../storage/memory/memory-storage.js';
import type { WatchEvent } from '../../storage/interface.js';
import { EncryptingStorage } from './encrypting-storage.js';
import { defaultEncryptionConfig, ensureEncryptionConfig, readEncryptionConfig, withNewPrimaryKey, writeEncryptionConfig, type CipherName } from './encryption-config.js';
import { DecryptionError, ValueTransformer } from './value-transformer.js';

const secret = JSON.stringify({ kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { password: 'aHVudGVyMg==' } });

for (const cipher of ['aesgcm', 'aescbc'] as CipherName[]) {
  test(`${cipher}: values under the prefix are stored encrypted and read back plain`, async () => {
    const inner = await openMemoryStorage();
    const s = new EncryptingStorage(inner, { config: defaultEncryptionConfig(cipher) });
    await s.create('/registry/secrets/default/s', secret);
    await s.create('/registry/configmaps/default/c', '{"plain":true}');
    const raw = await inner.get('/registry/secrets/default/s');
    assert.ok(raw!.value.startsWith(`k8s:enc:${cipher}:v1:${cipher}key:`), raw!.value.slice(0, 40));
    assert.ok(!raw!.value.includes('aHVudGVyMg'));
    assert.equal((await inner.get('/registry/configmaps/default/c'))!.value, '{"plain":true}');
    assert.equal((await s.get('/registry/secrets/default/s'))!.value, secret);
    const listed = await s.list('/registry/');
    assert.deepEqual(listed.items.map((i) => i.value), ['{"plain":true}', secret]);
    await inner.close();
  });
}

test('a ciphertext moved onto another key does not decrypt', async () => {
  const t = new ValueTransformer(defaultEncryptionConfig('aesgcm'));
  const enc = t.encrypt('/registry/secrets/a/x', 'hello');
  assert.equal(t.decrypt('/registry/secrets/a/x', enc), 'hello');
  assert.throws(() => t.decrypt('/registry/secrets/a/y', enc), DecryptionError);
  const cbc = new ValueTransformer(defaultEncryptionConfig('aescbc'));
  assert.throws(() => cbc.decrypt('/registry/secrets/a/y', cbc.encrypt('/registry/secrets/a/x', 'hello')), DecryptionError);
});

test('plain values written before encryption stay readable through the identity provider', async () => {
  const inner = await openMemoryStorage();
  await inner.create('/registry/secrets/default/old', secret);
  const s = new EncryptingStorage(inner, { config: defaultEncryptionConfig() });
  assert.equal((await s.get('/registry/secrets/default/old'))!.value, secret);
  assert.deepEqual((await s.keyUsage()).byKey, { identity: 1 });
  await inner.close();
});

test('watch events and delete results carry decrypted values', async () => {
  const inner = await openMemoryStorage();
  const s = new EncryptingStorage(inner, { config: defaultEncryptionConfig() });
  const events: WatchEvent[] = [];
  const rev = await s.currentRevision();
  const w = s.watch('/registry/secrets/', rev, { onEvents: (e) => events.push(...e), onError: (e) => assert.fail(e) });
  const c = await s.create('/registry/secrets/default/s', secret);
  await s.update('/registry/secrets/default/s', secret.replace('aHVudGVyMg==', 'eA=='), c.modRevision);
  const deleted = await s.delete('/registry/secrets/default/s');
  assert.equal(JSON.parse(deleted.value).data.password, 'eA==');
  await new Promise((r) => setImmediate(r));
  w.close();
  assert.deepEqual(events.map((e) => e.type), ['create', 'update', 'delete']);
  assert.equal(events[0].kv.value, secret);
  assert.equal(events[1].prevKv?.value, secret);
  assert.equal(JSON.parse(events[2].kv.value).data.password, 'eA==');
  await inner.close();
});

test('rotation: a new primary key, then reencrypt moves every value onto it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-enc-'));
  try {
    const path = join(dir, 'cred', 'encryption-config.json');
    const cfg = ensureEncryptionConfig(path);
    const inner = await openMemoryStorage();
    await inner.create('/registry/secrets/default/plain', secret);
    const s = new EncryptingStorage(inner, { config: cfg, configPath: path });
    for (const n of ['a', 'b', 'c']) await s.create(`/registry/secrets/default/${n}`, secret);
    assert.deepEqual((await s.keyUsage()).byKey, { aesgcmkey: 3, identity: 1 });
    writeEncryptionConfig(path, withNewPrimaryKey(readEncryptionConfig(path), 'aesgcmkey-2'));
    const r = await s.reencrypt();
    assert.deepEqual(r, { rewritten: 4, total: 4 });
    const usage = await s.keyUsage();
    assert.equal(usage.primaryKey, 'aesgcmkey-2');
    assert.deepEqual(usage.byKey, { 'aesgcmkey-2': 4 });
    for (const n of ['plain', 'a', 'b', 'c']) assert.equal((await s.get(`/registry/secrets/default/${n}`))!.value, secret);
    assert.deepEqual(await s.reencrypt(), { rewritten: 0, total: 4 });
    // Another process holding the old configuration learns the new key from the file on first sight.
    const other = new EncryptingStorage(inner, { config: cfg, configPath: path });
    assert.equal((await other.get('/registry/secrets/default/a'))!.value, secret);
    await inner.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a value under a key no configuration knows fails to decrypt', async () => {
  const inner = await openMemoryStorage();
  const a = new EncryptingStorage(inner, { config: defaultEncryptionConfig() });
  await a.create('/registry/secrets/default/s', secret);
  const b = new EncryptingStorage(inner, { config: withNewPrimaryKey(defaultEncryptionConfig(), 'x') });
  await assert.rejects(b.get('/registry/secrets/default/s'), DecryptionError);
  await inner.close();
});
