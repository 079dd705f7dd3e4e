/**
 * A private containerd for one test or benchmark run: its own temp data dir, CNI network
 * (bridge `skiff-t<hex>`, subnet 10.250.x.0/24 not routed on the host yet, host-local IPAM
 * in the temp dir), the pause and busybox images imported. close() removes all of it:
 * sandboxes, containerd (by PID), the bridge, cgroups, mounts and the temp dir.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../src/base/logger.js';
import { CriClient } from '../../src/kubelet/cri/cri-client.js';
import type { PodSandboxConfig } from '../../src/kubelet/cri/types.js';
import { ContainerdSupervisor } from '../../src/kubelet/containerd/supervisor.js';
import { ensurePauseImage } from '../../src/kubelet/images/pause-image.js';
import { importImage } from '../../src/kubelet/images/importer.js';
import { BUSYBOX_IMAGE, HOST_BUSYBOX, buildBusyboxImage } from '../../src/testing/images.js';

function onPath(bin: string): boolean {
  return ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(join(d, bin)));
}

/** Why this machine cannot run the runtime tests, or undefined when it can. */
export function runtimeSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (containerd, runc and CNI)';
  const missing = ['containerd', 'runc', 'ctr', 'ip', 'tar'].filter((b) => !onPath(b));
  if (!existsSync('/usr/lib/cni/bridge') || !existsSync('/usr/lib/cni/host-local') || !existsSync('/usr/lib/cni/portmap')) {
    missing.push('containernetworking-plugins (/usr/lib/cni)');
  }
  if (!existsSync(HOST_BUSYBOX)) missing.push('busybox-static');
  return missing.length ? `missing: ${missing.join(', ')} (apt-get install containerd runc containernetworking-plugins busybox-static)` : undefined;
}

function uplinkMTU(): number {
  try {
    const dev = /dev (\S+)/.exec(execFileSync('ip', ['route', 'show', 'default'], { encoding: 'utf8' }))?.[1];
    if (dev) return Number(readFileSync(`/sys/class/net/${dev}/mtu`, 'utf8').trim()) || 1500;
  } catch {
    // no default route: keep the Ethernet default
  }
  return 1500;
}

/** A 10.250.x.0/24 that no route on the host uses yet (another run's bridge has one). */
function freeSubnet(): string {
  const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' });
  for (let i = 0; i < 64; i++) {
    const x = randomBytes(1)[0];
    if (!routes.includes(`10.250.${x}.`)) return `10.250.${x}.0/24`;
  }
  throw new Error('no free 10.250.x.0/24 subnet');
}

export interface RuntimeEnv {
  dir: string;
  id: string;
  bridge: string;
  subnet: string;
  cgroupParent: string;
  supervisor: ContainerdSupervisor;
  cri: CriClient;
  busybox: string;
  /** A sandbox config for a pod in this environment (log directory under the temp dir). */
  sandboxConfig(name: string, uid: string): PodSandboxConfig;
  close(): Promise<void>;
}

export async function startRuntimeEnv(opts: { logger?: Logger } = {}): Promise<RuntimeEnv> {
  const id = randomBytes(3).toString('hex');
  const dir = mkdtempSync('/tmp/skiff-rt-');
  const bridge = `skiff-t${id}`;
  const network = `skiff-test-${id}`;
  const subnet = freeSubnet();
  const cgroupParent = `/skiff-test-${id}`;
  const logger = opts.logger ?? silentLogger;
  const supervisor = new ContainerdSupervisor({
    dataDir: dir,
    sandboxImage: 'skiff.local/pause:1',
    logger,
    registriesFile: join(dir, 'no-registries.yaml'),
  });
  let cri: CriClient | undefined;

  const close = async () => {
    if (cri) {
      // Whatever a failed test left running in this containerd goes first (kills its shims).
      try {
        for (const s of await cri.listPodSandbox()) {
          await cri.stopPodSandbox(s.id).catch(() => {});
          await cri.removePodSandbox(s.id).catch(() => {});
        }
      } catch {
        // containerd already gone
      }
      cri.close();
    }
    await supervisor.close();
    try {
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    } catch {
      // never created (no pod ran) or already removed
    }
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((m) => m && (m === dir || m.startsWith(dir + '/')))
      .sort((a, b) => b.length - a.length);
    for (const m of mounts) {
      try {
        execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      } catch {
        // already gone with its parent
      }
    }
    for (const hierarchy of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
      removeCgroupTree(join('/sys/fs/cgroup', hierarchy, cgroupParent));
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const paths = supervisor.paths;
    mkdirSync(paths.cniConfDir, { recursive: true });
    writeFileSync(
      join(paths.cniConfDir, '10-skiff-test.conflist'),
      JSON.stringify(
        {
          cniVersion: '1.0.0',
          name: network,
          plugins: [
            {
              type: 'bridge',
              bridge,
              isGateway: true,
              ipMasq: true,
              hairpinMode: true,
              mtu: uplinkMTU(),
              ipam: { type: 'host-local', ranges: [[{ subnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: join(dir, 'ipam') },
            },
            { type: 'portmap', capabilities: { portMappings: true } },
          ],
        },
        null,
        2,
      ),
    );
    const [pause, busybox] = await Promise.all([
      ensurePauseImage(paths.pauseDir),
      buildBusyboxImage(join(dir, 'busybox.tar')),
      supervisor.start(),
    ]);
    await importImage(pause.archive, { address: supervisor.endpoint });
    await importImage(join(dir, 'busybox.tar'), { address: supervisor.endpoint });
    cri = new CriClient({ endpoint: supervisor.endpoint });
    const c = cri;
    return {
      dir,
      id,
      bridge,
      subnet,
      cgroupParent,
      supervisor,
      cri: c,
      busybox: busybox.name === BUSYBOX_IMAGE ? BUSYBOX_IMAGE : busybox.name,
      sandboxConfig: (name, uid) => ({
        metadata: { name, uid, namespace: 'default', attempt: 0 },
        hostname: name,
        log_directory: join(dir, 'pods', `default_${name}_${uid}`),
        dns_config: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] },
        labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
        linux: {
          cgroup_parent: `${cgroupParent}/pod${uid}`,
          security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
        },
      }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function removeCgroupTree(path: string): void {
  if (!existsSync(path)) return;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroupTree(join(path, entry.name));
  }
  try {
    rmdirSync(path);
  } catch {
    // still has tasks: leave it rather than fail the cleanup
  }
}
