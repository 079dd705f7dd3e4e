/**
 * Loads images into the node's containerd (namespace k8s.io, where CRI looks) from OCI or
 * docker-archive tarballs, or from a root filesystem packed on the fly. Importing is
 * content-addressed, so importing the same archive twice is harmless.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SkiffError } from '../../base/errors.js';
import { classifyTarball } from './archive-kind.js';
import { normalizeImageName } from './image-name.js';
import { packRootfsImage } from './rootfs-image.js';
import { runTool } from './tools.js';

export const CRI_NAMESPACE = 'k8s.io';

export interface ImportOptions {
  /** containerd's socket. */
  address: string;
  /** Name (and tag) to give the image; required for a root filesystem. */
  name?: string;
  /** For a root filesystem: the default command (like `docker import --change 'CMD …'`). */
  cmd?: string[];
  ctrBinary?: string;
}

export interface ImportedImage {
  name: string;
  digest: string;
}

/** `ctr images import` prints `unpacking NAME (sha256:…)...done` per image. */
export function parseCtrImportOutput(out: string): ImportedImage[] {
  const images: ImportedImage[] = [];
  for (const m of out.matchAll(/^unpacking (\S+) \((sha256:[0-9a-f]{64})\)/gm)) images.push({ name: m[1], digest: m[2] });
  return images;
}

function ctr(opts: ImportOptions, args: string[]) {
  return runTool(opts.ctrBinary ?? 'ctr', ['--address', opts.address, '--namespace', CRI_NAMESPACE, ...args]);
}

export async function importImage(source: string, opts: ImportOptions): Promise<ImportedImage[]> {
  const isDir = (await stat(source)).isDirectory();
  const kind = isDir ? 'rootfs' : await classifyTarball(source);
  if (kind === 'rootfs') {
    if (!opts.name) {
      throw new SkiffError('Invalid', `${basename(source)} is a root filesystem, not an image archive: give it a name with --name NAME:TAG`);
    }
    const work = await mkdtemp(join(tmpdir(), 'skiff-import-'));
    try {
      const archive = join(work, 'image.tar');
      await packRootfsImage({ source, name: opts.name, cmd: opts.cmd, outFile: archive });
      return await importArchive(archive, { ...opts, name: undefined });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return importArchive(source, opts);
}

async function importArchive(file: string, opts: ImportOptions): Promise<ImportedImage[]> {
  const { stdout, stderr } = await ctr(opts, ['images', 'import', file]);
  const images = parseCtrImportOutput(stdout + '\n' + stderr);
  if (!opts.name) return images;
  // A name given for an image archive becomes an extra tag on the (single) imported image.
  if (images.length !== 1) {
    throw new SkiffError('Invalid', `--name needs an archive holding exactly one image; ${basename(file)} holds ${images.length}`);
  }
  const name = normalizeImageName(opts.name);
  if (name !== images[0].name) await ctr(opts, ['images', 'tag', '--force', images[0].name, name]);
  return [{ name, digest: images[0].digest }];
}
