/**
 * Test images built from Debian packages, without a registry: `busybox` is busybox-static
 * plus one symlink per applet, /etc/passwd, /etc/group and a world-writable /tmp.
 */
import { copyFile, chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packRootfsImage } from '../kubelet/images/rootfs-image.js';
import type { OciArchiveResult } from '../kubelet/images/oci-archive.js';
import { runTool } from '../kubelet/images/tools.js';

export const BUSYBOX_IMAGE = 'docker.io/library/busybox:latest';
export const HOST_BUSYBOX = '/bin/busybox';

export async function buildBusyboxImage(
  outFile: string,
  opts: { name?: string; busybox?: string; cmd?: string[] } = {},
): Promise<OciArchiveResult> {
  const busybox = opts.busybox ?? HOST_BUSYBOX;
  const work = await mkdtemp(join(tmpdir(), 'skiff-busybox-'));
  try {
    const root = join(work, 'rootfs');
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'home', 'var', 'proc', 'sys', 'dev']) {
      await mkdir(join(root, d), { recursive: true });
    }
    await mkdir(join(root, 'tmp'), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await copyFile(busybox, join(root, 'bin/busybox'));
    await chmod(join(root, 'bin/busybox'), 0o755);
    const { stdout } = await runTool(busybox, ['--list-full']);
    for (const applet of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
      if (applet === 'bin/busybox') continue;
      await mkdir(join(root, dirname(applet)), { recursive: true });
      await symlink('/bin/busybox', join(root, applet)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    await writeFile(
      join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    );
    await writeFile(join(root, 'etc/group'), 'root:x:0:\ndaemon:x:1:\ntty:x:5:\nnogroup:x:65534:\n');
    return await packRootfsImage({ source: root, name: opts.name ?? BUSYBOX_IMAGE, outFile, cmd: opts.cmd ?? ['sh'] });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
