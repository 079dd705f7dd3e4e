/** tmpfs mounts for memory-backed volumes, through mount(8)/umount(8) (Node has no mount(2)). */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Mounter {
  mountTmpfs(dir: string, sizeBytes?: number): Promise<void>;
  unmount(dir: string): Promise<void>;
  /** Mount points at or below `dir`, deepest first. */
  mountsUnder(dir: string): string[];
}

/** mountinfo escapes blanks and backslashes as octal. */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function mountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m)
    .map(unescapeMountPath);
}

export const systemMounter: Mounter = {
  async mountTmpfs(dir, sizeBytes) {
    if (this.mountsUnder(dir).includes(dir)) return;
    const opts = sizeBytes && sizeBytes > 0 ? ['-o', `size=${sizeBytes}`] : [];
    await run('mount', ['-t', 'tmpfs', ...opts, 'tmpfs', dir]);
  },
  async unmount(dir) {
    await run('umount', [dir]).catch(async () => run('umount', ['-l', dir]));
  },
  mountsUnder(dir) {
    const all = mountPoints(readFileSync('/proc/self/mountinfo', 'utf8'));
    return all.filter((m) => m === dir || m.startsWith(dir + '/')).sort((a, b) => b.length - a.length);
  },
};
