/**
 * A real `skiff server` with its embedded agent for e2e tests: unique data dir, node name,
 * CNI bridge, cluster CIDR and cgroup root, so a run never meets another run or a developer's
 * cluster. stop() keeps the data dir (for restart tests); destroy() removes everything the
 * node made: sandboxes, containerd (stopped by the server), bridge, mounts, cgroups, CNI rules.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { runtimeSkipReason } from './runtime-env.js';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The CLI entry of this build (main.js runs on import). */
export const SKIFF_MAIN = join(here, '..', '..', 'src', 'cmd', 'main.js');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function freeClusterCIDR(): string {
  const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' });
  for (let i = 0; i < 64; i++) {
    const x = 200 + (randomBytes(1)[0] % 50);
    if (!routes.includes(`10.${x}.`)) return `10.${x}.0.0/16`;
  }
  throw new Error('no free 10.2xx.0.0/16');
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export class AgentServer {
  readonly id = randomBytes(3).toString('hex');
  readonly dataDir = mkdtempSync('/tmp/skiff-agent-e2e-');
  readonly nodeName = `skiff-e2e-${this.id}`;
  readonly bridge = `skiff-e${this.id}`;
  readonly clusterCIDR = freeClusterCIDR();
  readonly cgroupRoot = `/skiff-e2e-${this.id}`;
  readonly podLogsDir = join(this.dataDir, 'pod-logs');
  child: ChildProcess | undefined;
  kubeconfig = '';
  stderr = '';
  /** The agent's HTTPS port; chosen once so restarts keep it and parallel runs never share it. */
  kubeletPort = 0;

  async start(): Promise<void> {
    this.kubeletPort ||= Number(process.env.SKIFF_AGENT_KUBELET_PORT) || (await freePort());
    const child = spawn(
      process.execPath,
      [SKIFF_MAIN, 'server', '--data-dir', this.dataDir, '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--node-name', this.nodeName, '--cluster-cidr', this.clusterCIDR],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          SKIFF_LOG_LEVEL: process.env.SKIFF_LOG_LEVEL ?? 'warn',
          SKIFF_AGENT_BRIDGE: this.bridge,
          SKIFF_AGENT_CGROUP_ROOT: this.cgroupRoot,
          SKIFF_AGENT_POD_LOGS_DIR: this.podLogsDir,
          SKIFF_AGENT_KUBELET_PORT: String(this.kubeletPort),
        },
      },
    );
    this.child = child;
    child.stderr!.on('data', (d) => (this.stderr += d));
    this.kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d;
        const m = out.match(/Wrote kubeconfig (\S+)/);
        if (m) {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve(m[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`skiff server exited with ${code}: ${this.stderr}`)));
    });
  }

  run(bin: string, args: string[]): Promise<Result> {
    return new Promise((resolve) => {
      execFile(bin, args, { env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: join(this.dataDir, 'kube-cache'), HOME: this.dataDir }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, stdout, stderr });
      });
    });
  }

  kubectl(args: string[]): Promise<Result> {
    return this.run('kubectl', args);
  }

  skiff(args: string[]): Promise<Result> {
    return this.run(process.execPath, [SKIFF_MAIN, ...args]);
  }

  get socket(): string {
    return join(this.dataDir, 'agent', 'containerd', 'containerd.sock');
  }

  /** Stops the server by PID (it stops its containerd); pods keep running. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    // Whatever is still running goes: a private containerd for the cleanup, by PID.
    const pidFile = join(this.dataDir, 'agent', 'containerd', 'containerd.pid');
    if (existsSync(join(this.dataDir, 'agent', 'containerd', 'config.toml'))) {
      const cd = spawn('containerd', ['--config', join(this.dataDir, 'agent', 'containerd', 'config.toml')], { stdio: 'ignore', detached: true });
      try {
        for (let i = 0; i < 100 && !existsSync(this.socket); i++) await new Promise((r) => setTimeout(r, 50));
        const crictl = (args: string[]) => {
          try {
            return execFileSync('ctr', ['--address', this.socket, '--namespace', 'k8s.io', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
          } catch {
            return '';
          }
        };
        const { CriClient } = await import('../../src/kubelet/cri/cri-client.js');
        const cri = new CriClient({ endpoint: this.socket, timeoutMs: 30_000 });
        try {
          for (const s of await cri.listPodSandbox()) {
            await cri.stopPodSandbox(s.id).catch(() => {});
            await cri.removePodSandbox(s.id).catch(() => {});
          }
        } catch {
          // containerd did not come up: nothing to remove through it
        }
        cri.close();
        void crictl;
      } finally {
        if (cd.pid) process.kill(cd.pid, 'SIGTERM');
        await new Promise((r) => cd.once('exit', r));
      }
    }
    void pidFile;
    try {
      execFileSync('ip', ['link', 'del', this.bridge], { stdio: 'ignore' });
    } catch {
      // never created
    }
    removeCniRules(this.bridge);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((m) => m && (m === this.dataDir || m.startsWith(this.dataDir + '/')))
      .sort((a, b) => b.length - a.length);
    for (const m of mounts) {
      try {
        execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      } catch {
        // gone with its parent
      }
    }
    for (const h of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) removeTree(join('/sys/fs/cgroup', h, this.cgroupRoot));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** iptables rules the bridge plugin's ipMasq made name the network (`skiff-<bridge>`) in comments. */
function removeCniRules(bridge: string): void {
  const network = `skiff-${bridge}`;
  let rules = '';
  try {
    rules = execFileSync('iptables', ['-t', 'nat', '-S'], { encoding: 'utf8' });
  } catch {
    return;
  }
  const chains = new Set<string>();
  for (const line of rules.split('\n')) {
    if (!line.includes(`"name: \\"${network}\\"`) && !line.includes(`name: \\"${network}\\"`)) continue;
    const m = /-A (\S+) .*-j (CNI-[0-9a-f]+)/.exec(line);
    if (m) {
      chains.add(m[2]);
      try {
        execFileSync('iptables', ['-t', 'nat', ...line.replace(/^-A/, '-D').match(/(?:[^\s"]+|"[^"]*")+/g)!.map((s) => s.replace(/^"|"$/g, ''))], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
  for (const c of chains) {
    try {
      execFileSync('iptables', ['-t', 'nat', '-F', c], { stdio: 'ignore' });
      execFileSync('iptables', ['-t', 'nat', '-X', c], { stdio: 'ignore' });
    } catch {
      // in use or gone
    }
  }
}

function removeTree(path: string): void {
  if (!existsSync(path)) return;
  try {
    for (const e of readdirSync(path, { withFileTypes: true })) if (e.isDirectory()) removeTree(join(path, e.name));
    rmdirSync(path);
  } catch {
    // tasks left
  }
}

export { readFile };

/** Why agent e2e tests cannot run here (not root, no containerd/runc, no kubectl), or undefined. */
export function agentSkipReason(): string | undefined {
  return runtimeSkipReason() ?? (existsSync('/usr/bin/kubectl') || existsSync('/usr/local/bin/kubectl') ? undefined : 'needs kubectl');
}

/** Polls `probe` (every 200 ms, a bounded number of times) until it returns a value. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, tries = 600): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
