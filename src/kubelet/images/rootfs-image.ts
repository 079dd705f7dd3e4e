/**
 * Packs a root filesystem (a folder or a plain/gzip tarball) into a one-layer OCI image
 * archive, as `docker import` does.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { writeOciArchive, type ImageRunConfig, type OciArchiveResult } from './oci-archive.js';
import { runTool } from './tools.js';

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface RootfsImageInput {
  /** A folder holding the root filesystem, or a tarball of one (plain or gzip). */
  source: string;
  name: string;
  outFile: string;
  cmd?: string[];
  entrypoint?: string[];
  /** KEY=VALUE; PATH defaults to the usual system folders, since runc resolves the command with it. */
  env?: string[];
  workingDir?: string;
  user?: string;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function packRootfsImage(input: RootfsImageInput): Promise<OciArchiveResult> {
  const work = await mkdtemp(join(tmpdir(), 'skiff-rootfs-'));
  try {
    let layerTar: string;
    if ((await stat(input.source)).isDirectory()) {
      layerTar = join(work, 'layer.tar');
      // Numeric owners keep the folder's uids; sorted names make the same folder give the same layer.
      await runTool('tar', ['--numeric-owner', '--sort=name', '-C', input.source, '-cf', layerTar, '.']);
    } else if (await isGzip(input.source)) {
      layerTar = join(work, 'layer.tar');
      await pipeline(createReadStream(input.source), createGunzip(), createWriteStream(layerTar));
    } else {
      layerTar = input.source;
    }
    const env = input.env ?? [];
    const config: ImageRunConfig = {
      Env: env.some((e) => e.startsWith('PATH=')) ? env : [DEFAULT_PATH_ENV, ...env],
    };
    if (input.cmd?.length) config.Cmd = input.cmd;
    if (input.entrypoint?.length) config.Entrypoint = input.entrypoint;
    if (input.workingDir) config.WorkingDir = input.workingDir;
    if (input.user) config.User = input.user;
    return await writeOciArchive({ name: input.name, layerTar, config, outFile: input.outFile });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
