import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packRootfsImage } from './rootfs-image.js';
import { parseCtrImportOutput } from './importer.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a packed root filesystem is a valid OCI layout with matching digests', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-oci-test-'));
  try {
    mkdirSync(join(dir, 'rootfs/bin'), { recursive: true });
    writeFileSync(join(dir, 'rootfs/bin/hello'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
    const out = join(dir, 'img.tar');
    const res = await packRootfsImage({ source: join(dir, 'rootfs'), name: 'hello:v1', outFile: out, cmd: ['/bin/hello'] });
    assert.equal(res.name, 'docker.io/library/hello:v1');

    const layout = join(dir, 'layout');
    mkdirSync(layout);
    execFileSync('tar', ['-C', layout, '-xf', out]);
    const blob = (digest: string) => readFileSync(join(layout, 'blobs/sha256', digest.replace('sha256:', '')));
    assert.deepEqual(JSON.parse(readFileSync(join(layout, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    assert.equal(index.manifests[0].annotations['io.containerd.image.name'], 'docker.io/library/hello:v1');
    assert.equal(index.manifests[0].annotations['org.opencontainers.image.ref.name'], 'v1');
    assert.equal(index.manifests[0].digest, res.manifestDigest);

    const manifestBytes = blob(res.manifestDigest);
    assert.equal(`sha256:${sha(manifestBytes)}`, res.manifestDigest);
    const manifest = JSON.parse(manifestBytes.toString());
    assert.equal(manifest.config.digest, res.imageId);
    const config = JSON.parse(blob(res.imageId).toString());
    assert.deepEqual(config.config.Cmd, ['/bin/hello']);
    assert.ok(config.config.Env.some((e: string) => e.startsWith('PATH=')));
    assert.equal(config.os, 'linux');

    const layerGz = blob(manifest.layers[0].digest);
    assert.equal(`sha256:${sha(layerGz)}`, manifest.layers[0].digest, 'layer digest is of the compressed blob');
    assert.equal(manifest.layers[0].size, layerGz.length);
    const layer = gunzipSync(layerGz);
    assert.deepEqual(config.rootfs.diff_ids, [`sha256:${sha(layer)}`], 'diff_id is of the uncompressed tar');
    const entries = execFileSync('tar', ['-t'], { input: layer, encoding: 'utf8' }).split('\n');
    assert.ok(entries.includes('./bin/hello'), entries.join(','));

    const again = await packRootfsImage({ source: join(dir, 'rootfs'), name: 'hello:v1', outFile: join(dir, 'again.tar'), cmd: ['/bin/hello'] });
    assert.equal(again.imageId, res.imageId, 'same folder, same image ID');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseCtrImportOutput', () => {
  const d = 'a'.repeat(64);
  assert.deepEqual(parseCtrImportOutput(`unpacking docker.io/library/busybox:latest (sha256:${d})...done\n`), [
    { name: 'docker.io/library/busybox:latest', digest: `sha256:${d}` },
  ]);
  assert.deepEqual(parseCtrImportOutput('nothing here\n'), []);
});
