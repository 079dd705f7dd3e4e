/**
 * The sandbox ("pause") image, built on the node so no registry is needed.
 *
 * Preferred: a static C program compiled with gcc that blocks in pause(), reaps every child
 * (it is PID 1 when the pod shares its PID namespace) and exits on SIGTERM/SIGINT, as
 * upstream's pause does. gcc and libc6-dev are on build/CI machines but may be missing on
 * a slim node, so the fallback is busybox-static's `sleep` (Debian package; no reaping,
 * which only matters with shareProcessNamespace). The archive is cached in `dir`.
 */
import { copyFile, chmod, mkdir, mkdtemp, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packRootfsImage } from './rootfs-image.js';
import { runTool } from './tools.js';

/** Bump the tag when the program changes so nodes rebuild it. */
export const PAUSE_IMAGE = 'skiff.local/pause:1';

const PAUSE_C = `#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) { (void)sig; _exit(0); }

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction stop = {0}, child = {0};
  stop.sa_handler = on_stop;
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGINT, &stop, NULL);
  child.sa_handler = on_child;
  child.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  sigaction(SIGCHLD, &child, NULL);
  for (;;) pause();
}
`;

export interface PauseImage {
  name: string;
  archive: string;
  /** How the binary was made: 'gcc' or 'busybox'. */
  flavour: 'gcc' | 'busybox';
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function ensurePauseImage(dir: string, opts: { busybox?: string } = {}): Promise<PauseImage> {
  for (const flavour of ['gcc', 'busybox'] as const) {
    const archive = join(dir, `pause-${flavour}.tar`);
    if (await exists(archive)) return { name: PAUSE_IMAGE, archive, flavour };
  }
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'skiff-pause-'));
  try {
    const rootfs = join(work, 'rootfs');
    await mkdir(rootfs);
    let flavour: PauseImage['flavour'];
    let cmd: string[];
    try {
      await writeFile(join(work, 'pause.c'), PAUSE_C);
      await runTool('gcc', ['-static', '-Os', '-s', '-o', join(rootfs, 'pause'), join(work, 'pause.c')]);
      flavour = 'gcc';
      cmd = ['/pause'];
    } catch {
      const busybox = opts.busybox ?? '/bin/busybox';
      await copyFile(busybox, join(rootfs, 'pause'));
      await chmod(join(rootfs, 'pause'), 0o755);
      flavour = 'busybox';
      cmd = ['/pause', 'sleep', 'infinity'];
    }
    const archive = join(dir, `pause-${flavour}.tar`);
    await packRootfsImage({ source: rootfs, name: PAUSE_IMAGE, outFile: archive, entrypoint: cmd, env: [] });
    return { name: PAUSE_IMAGE, archive, flavour };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
