/**
 * `skiff images import|ls|rm`: manage the images of this node's containerd without a
 * registry. The data dir locates the node's containerd socket, as for `skiff agent`/`server`.
 */
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { connect } from 'node:net';
import { CriClient } from '../../kubelet/cri/cri-client.js';
import type { Image } from '../../kubelet/cri/types.js';
import { agentPaths } from '../../kubelet/containerd/paths.js';
import { classifyTarball } from '../../kubelet/images/archive-kind.js';
import { importImage } from '../../kubelet/images/importer.js';
import { normalizeImageName } from '../../kubelet/images/image-name.js';
import { packRootfsImage } from '../../kubelet/images/rootfs-image.js';
import { parseFlags, usage, UsageError, type FlagSpec } from '../flags.js';

const commonFlags: FlagSpec[] = [
  { name: 'data-dir', type: 'string', help: "The node's data folder (root: /var/lib/skiff/server, else ~/.skiff/server)" },
  { name: 'container-runtime-endpoint', type: 'string', help: "A CRI socket to use instead of the data folder's containerd" },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

const importFlags: FlagSpec[] = [
  { name: 'name', type: 'string', help: 'NAME:TAG for a root filesystem (required) or an extra tag for an image archive' },
  { name: 'cmd', type: 'string', help: 'Default command of a root-filesystem image: a JSON array or words (or give it after --)' },
  ...commonFlags,
];

const HELP = `Manage this node's container images (no registry needed)

Usage:
  skiff images import FILE.tar|DIR [--name NAME:TAG] [--cmd CMD] [--data-dir DIR] [-- CMD ARGS...]
      Load an OCI or docker-archive tarball, or pack a root filesystem (folder or tarball) into an
      image like \`docker import\`. Without a running node the archive is queued in
      <data-dir>/agent/images/ and imported when the node starts.
  skiff images ls [--data-dir DIR]
  skiff images rm NAME|ID... [--data-dir DIR]
`;

/** Same rule as `skiff server`'s default data dir (src/cmd/server/run.ts defaultDataDir). */
function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/skiff/server' : join(homedir(), '.skiff', 'server');
}

function socketOf(values: Record<string, unknown>): string {
  const endpoint = values['container-runtime-endpoint'];
  if (typeof endpoint === 'string' && endpoint) return endpoint.replace(/^unix:\/\//, '');
  return agentPaths(String(values['data-dir'] ?? '') || defaultDataDir()).containerdSocket;
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export function parseCmd(raw: string | undefined, afterDashes: string[]): string[] | undefined {
  if (afterDashes.length) return afterDashes;
  if (!raw) return undefined;
  if (raw.trim().startsWith('[')) {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new UsageError('--cmd JSON must be an array of strings');
    return parsed as string[];
  }
  return raw.trim().split(/\s+/);
}

export async function imagesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const dashes = rest.indexOf('--');
  const args = dashes >= 0 ? rest.slice(0, dashes) : rest;
  const afterDashes = dashes >= 0 ? rest.slice(dashes + 1) : [];
  switch (sub) {
    case 'import':
      return importCommand(args, afterDashes);
    case 'ls':
    case 'list':
      return lsCommand(args);
    case 'rm':
    case 'remove':
      return rmCommand(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(`unknown images command "${sub}" (import, ls, rm)`);
  }
}

async function importCommand(argv: string[], afterDashes: string[]): Promise<number> {
  const { values, rest } = parseFlags(argv, importFlags);
  if (values.help) {
    process.stdout.write(usage('images import FILE.tar|DIR', importFlags) + '\n');
    return 0;
  }
  if (rest.length !== 1) throw new UsageError('images import takes one FILE.tar or DIR');
  const source = rest[0];
  const name = values.name ? String(values.name) : undefined;
  const cmd = parseCmd(values.cmd as string | undefined, afterDashes);
  const socket = socketOf(values);
  if (await answers(socket)) {
    for (const image of await importImage(source, { address: socket, name, cmd })) {
      process.stdout.write(`imported ${image.name} (${image.digest})\n`);
    }
    return 0;
  }
  // No node running: queue the archive where the agent imports everything at start.
  const dir = agentPaths(String(values['data-dir'] ?? '') || defaultDataDir()).imagesDir;
  await mkdir(dir, { recursive: true });
  const isDir = (await stat(source)).isDirectory();
  if (isDir || (await classifyTarball(source)) === 'rootfs') {
    if (!name) throw new UsageError(`${basename(source)} is a root filesystem: give it a name with --name NAME:TAG`);
    const out = join(dir, `${normalizeImageName(name).replace(/[/:@]/g, '_')}.tar`);
    await packRootfsImage({ source, name, cmd, outFile: out });
    process.stdout.write(`no containerd at ${socket}; packed ${normalizeImageName(name)} into ${out} for import at the next start\n`);
  } else {
    if (name) throw new UsageError(`no containerd at ${socket}: --name on an image archive needs a running node`);
    const out = join(dir, basename(source));
    await copyFile(source, out);
    process.stdout.write(`no containerd at ${socket}; copied to ${out} for import at the next start\n`);
  }
  return 0;
}

function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${n < 10 && u > 0 ? n.toFixed(1) : Math.round(n)}${units[u]}`;
}

/** Rows like `crictl images`: IMAGE TAG IMAGE-ID SIZE, one per tag. */
export function formatImages(images: Image[]): string {
  const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const img of images) {
    const id = img.id.replace(/^sha256:/, '').slice(0, 13);
    const tags = img.repo_tags.length ? img.repo_tags : ['<none>:<none>'];
    for (const ref of tags) {
      const colon = ref.lastIndexOf(':');
      const slash = ref.lastIndexOf('/');
      const [repo, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, '<none>'];
      rows.push([repo, tag, id, humanSize(Number(img.size))]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('')).join('\n') + '\n';
}

async function withCri<T>(values: Record<string, unknown>, fn: (cri: CriClient) => Promise<T>): Promise<T> {
  const socket = socketOf(values);
  if (!(await answers(socket))) throw new UsageError(`no containerd at ${socket}: is the node (skiff server/agent) running?`);
  const cri = new CriClient({ endpoint: socket, timeoutMs: 30_000 });
  try {
    return await fn(cri);
  } finally {
    cri.close();
  }
}

async function lsCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, commonFlags);
  if (values.help) {
    process.stdout.write(usage('images ls', commonFlags) + '\n');
    return 0;
  }
  const images = await withCri(values, (cri) => cri.listImages());
  process.stdout.write(formatImages(images));
  return 0;
}

async function rmCommand(argv: string[]): Promise<number> {
  const { values, rest } = parseFlags(argv, commonFlags);
  if (values.help) {
    process.stdout.write(usage('images rm NAME|ID...', commonFlags) + '\n');
    return 0;
  }
  if (!rest.length) throw new UsageError('images rm needs at least one image name or ID');
  return withCri(values, async (cri) => {
    let failed = 0;
    for (const ref of rest) {
      const image = await cri.imageStatus(ref.startsWith('sha256:') || /^[0-9a-f]{12,64}$/.test(ref) ? ref : normalizeImageName(ref));
      if (!image) {
        process.stderr.write(`no such image: ${ref}\n`);
        failed++;
        continue;
      }
      await cri.removeImage(image.id);
      process.stdout.write(`Deleted: ${image.repo_tags.join(', ') || image.id}\n`);
    }
    return failed ? 1 : 0;
  });
}
