/**
 * Writes a single-layer OCI image-layout tarball that `ctr images import` (and docker/podman
 * load) accept: oci-layout, index.json naming the image, blobs/sha256/{layer,config,manifest}.
 * The layer is gzip-compressed; rootfs.diff_ids holds the digest of the uncompressed tar.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { imageTag, normalizeImageName } from './image-name.js';
import { runTool } from './tools.js';

/** The `config` part of an OCI image config (what a container runs by default). */
export interface ImageRunConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface OciArchiveInput {
  /** Image name; normalised (`busybox` → `docker.io/library/busybox:latest`). */
  name: string;
  /** Path of the layer as an uncompressed tar. */
  layerTar: string;
  config: ImageRunConfig;
  outFile: string;
  /** Creation time written into the config (default: the Unix epoch, for reproducible IDs). */
  created?: string;
}

export interface OciArchiveResult {
  name: string;
  /** sha256:… of the image config: the image ID CRI reports. */
  imageId: string;
  manifestDigest: string;
}

const MEDIA = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

export function ociArchitecture(arch: string = process.arch): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[arch] ?? arch;
}

function hashing(hash: ReturnType<typeof createHash>, count: { n: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      count.n += chunk.length;
      cb(null, chunk);
    },
  });
}

async function writeBlob(blobs: string, data: string): Promise<{ digest: string; size: number }> {
  const buf = Buffer.from(data);
  const hex = createHash('sha256').update(buf).digest('hex');
  await writeFile(join(blobs, hex), buf);
  return { digest: `sha256:${hex}`, size: buf.length };
}

export async function writeOciArchive(input: OciArchiveInput): Promise<OciArchiveResult> {
  const name = normalizeImageName(input.name);
  const layout = await mkdtemp(join(tmpdir(), 'skiff-oci-'));
  try {
    const blobs = join(layout, 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });

    const diff = createHash('sha256');
    const packed = createHash('sha256');
    const rawCount = { n: 0 };
    const gzCount = { n: 0 };
    const tmpLayer = join(blobs, 'layer.partial');
    await pipeline(
      createReadStream(input.layerTar),
      hashing(diff, rawCount),
      createGzip({ level: 6 }),
      hashing(packed, gzCount),
      createWriteStream(tmpLayer),
    );
    const layerHex = packed.digest('hex');
    await rename(tmpLayer, join(blobs, layerHex));

    const config = await writeBlob(
      blobs,
      JSON.stringify({
        created: input.created ?? '1970-01-01T00:00:00Z',
        architecture: ociArchitecture(),
        os: 'linux',
        config: input.config,
        rootfs: { type: 'layers', diff_ids: [`sha256:${diff.digest('hex')}`] },
        history: [{ created: input.created ?? '1970-01-01T00:00:00Z', created_by: 'skiff images import' }],
      }),
    );
    const manifest = await writeBlob(
      blobs,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.manifest,
        config: { mediaType: MEDIA.config, ...config },
        layers: [{ mediaType: MEDIA.layer, digest: `sha256:${layerHex}`, size: gzCount.n }],
      }),
    );
    await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: MEDIA.manifest,
            ...manifest,
            annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': imageTag(name) },
          },
        ],
      }),
    );
    await mkdir(dirname(input.outFile), { recursive: true });
    const partial = `${input.outFile}.partial`;
    await runTool('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', layout, '-cf', partial, 'oci-layout', 'index.json', 'blobs']);
    await rename(partial, input.outFile);
    await stat(input.outFile);
    return { name, imageId: config.digest, manifestDigest: manifest.digest };
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}
