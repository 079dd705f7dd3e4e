/**
 * Writes a set of files into a volume folder so that a running container never sees a half
 * update (upstream's AtomicWriter): the files live in a hidden timestamped folder, `..data`
 * is a symlink to it, and each top-level name the user sees is a symlink through `..data`.
 * An update writes a new timestamped folder and swaps `..data` with one rename.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, FileProjection>;

const DATA_LINK = '..data';
const DATA_TMP = '..data_tmp';

/** A payload path must stay inside the volume: relative, no `..` element, no leading `..`. */
export function validatePayloadPath(p: string): string | undefined {
  if (!p) return 'invalid path: must not be empty';
  if (posix.isAbsolute(p)) return `invalid path: must be relative path: ${p}`;
  if (p.split('/').includes('..')) return `invalid path: must not contain '..': ${p}`;
  if (p.startsWith('..')) return `invalid path: must not start with '..': ${p}`;
  return undefined;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function tsDirName(now: Date): string {
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.${randomBytes(5).toString('hex')}`;
}

function sameContent(dir: string, payload: Payload): boolean {
  const seen = new Set<string>();
  const walk = (rel: string): boolean => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!walk(r)) return false;
        continue;
      }
      const want = payload.get(r);
      if (!want) return false;
      const path = join(dir, r);
      if ((statSync(path).mode & 0o7777) !== want.mode) return false;
      if (!readFileSync(path).equals(want.data)) return false;
      seen.add(r);
    }
    return true;
  };
  return walk('') && seen.size === payload.size;
}

/** Brings `targetDir` to `payload`; returns true when something changed. */
export function writeAtomically(targetDir: string, payload: Payload, now: Date = new Date()): boolean {
  for (const p of payload.keys()) {
    const bad = validatePayloadPath(p);
    if (bad) throw new Error(bad);
  }
  mkdirSync(targetDir, { recursive: true });
  const dataLink = join(targetDir, DATA_LINK);
  let oldTs: string | undefined;
  try {
    oldTs = readlinkSync(dataLink);
  } catch {
    oldTs = undefined;
  }
  if (oldTs && existsSync(join(targetDir, oldTs)) && sameContent(join(targetDir, oldTs), payload)) {
    ensureUserLinks(targetDir, payload);
    return false;
  }
  const ts = tsDirName(now);
  const tsDir = join(targetDir, ts);
  mkdirSync(tsDir, { mode: 0o755 });
  chmodSync(tsDir, 0o755);
  for (const [p, f] of payload) {
    const file = join(tsDir, p);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, f.data);
    chmodSync(file, f.mode);
  }
  const tmp = join(targetDir, DATA_TMP);
  rmSync(tmp, { force: true });
  symlinkSync(ts, tmp);
  renameSync(tmp, dataLink);
  ensureUserLinks(targetDir, payload);
  if (oldTs && oldTs !== ts && oldTs.startsWith('..')) rmSync(join(targetDir, oldTs), { recursive: true, force: true });
  return true;
}

/** Top-level names point through `..data`; names no longer in the payload go. */
function ensureUserLinks(targetDir: string, payload: Payload): void {
  const tops = new Set([...payload.keys()].map((p) => p.split('/')[0]));
  for (const top of tops) {
    const link = join(targetDir, top);
    const want = posix.join(DATA_LINK, top);
    let current: string | undefined;
    try {
      current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined;
    } catch {
      current = undefined;
    }
    if (current === want) continue;
    rmSync(link, { recursive: true, force: true });
    symlinkSync(want, link);
  }
  for (const e of readdirSync(targetDir, { withFileTypes: true })) {
    if (e.name.startsWith('..') || tops.has(e.name)) continue;
    if (e.isSymbolicLink()) unlinkSync(join(targetDir, e.name));
  }
}
