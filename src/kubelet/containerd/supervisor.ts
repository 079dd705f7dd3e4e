/**
 * Runs containerd as skiff's child process: writes its config, starts it with its own
 * root/state/socket, waits until CRI answers, restarts it when it dies (the agent carries
 * on; pods keep running in their shims), and stops it by PID on close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { realClock, type Clock, type Timer } from '../../base/clock.js';
import { SkiffError } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import { CriClient } from '../cri/cri-client.js';
import type { VersionResponse } from '../cri/types.js';
import { renderContainerdConfig } from './config.js';
import { agentPaths, type AgentPaths } from './paths.js';
import { DEFAULT_REGISTRIES_FILE, writeRegistryHosts } from './registries.js';

export interface ContainerdSupervisorOptions {
  dataDir: string;
  /** The pause image CRI uses for sandboxes; must be imported before the first pod. */
  sandboxImage: string;
  logger: Logger;
  clock?: Clock;
  containerdBinary?: string;
  runcBinary?: string;
  cniBinDir?: string;
  /** Defaults to agentPaths(dataDir).cniConfDir. */
  cniConfDir?: string;
  /** k3s-format registries.yaml (default /etc/skiff/registries.yaml; missing → no mirrors). */
  registriesFile?: string;
  /** Longest wait for containerd to answer after a start (default 60 s). */
  startTimeoutMs?: number;
}

const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class ContainerdSupervisor {
  readonly paths: AgentPaths;
  readonly endpoint: string;
  private child: ChildProcess | undefined;
  private closing = false;
  private restartTimer: Timer | undefined;
  private restarts = 0;
  private startedAt = 0;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly opts: ContainerdSupervisorOptions) {
    this.paths = agentPaths(opts.dataDir);
    this.endpoint = this.paths.containerdSocket;
    this.clock = opts.clock ?? realClock;
    this.log = opts.logger;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts containerd and resolves once CRI Version answers. */
  async start(): Promise<VersionResponse> {
    const p = this.paths;
    for (const dir of [p.containerdDir, p.containerdRoot, p.containerdState, p.runcRoot, p.registryConfigDir, this.cniConfDir()]) {
      mkdirSync(dir, { recursive: true });
    }
    writeFileSync(
      p.containerdConfig,
      renderContainerdConfig({
        root: p.containerdRoot,
        state: p.containerdState,
        address: p.containerdSocket,
        sandboxImage: this.opts.sandboxImage,
        runcBinary: this.opts.runcBinary ?? '/usr/sbin/runc',
        runcRoot: p.runcRoot,
        cniBinDir: this.opts.cniBinDir ?? '/usr/lib/cni',
        cniConfDir: this.cniConfDir(),
        registryConfigDir: p.registryConfigDir,
      }),
    );
    writeRegistryHosts(this.opts.registriesFile ?? DEFAULT_REGISTRIES_FILE, p.registryConfigDir);
    await this.stopLeftover();
    this.spawn();
    return this.waitReady();
  }

  private cniConfDir(): string {
    return this.opts.cniConfDir ?? this.paths.cniConfDir;
  }

  /**
   * A containerd from an earlier skiff that died without closing it still holds the socket.
   * It is identified by our pid file and its command line naming our config, and stopped.
   */
  private async stopLeftover(): Promise<void> {
    let pid: number;
    try {
      pid = Number(readFileSync(this.paths.containerdPidFile, 'utf8').trim());
    } catch {
      return;
    }
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return;
    }
    if (!pid || !cmdline.includes(this.paths.containerdConfig)) return;
    this.log.info('stopping containerd left over from an earlier run', { pid });
    await stopPid(pid, 10_000, this.clock);
  }

  private spawn(): void {
    const p = this.paths;
    const logFd = openSync(p.containerdLog, 'a');
    const child = spawn(
      this.opts.containerdBinary ?? 'containerd',
      ['--config', p.containerdConfig, '--root', p.containerdRoot, '--state', p.containerdState, '--address', p.containerdSocket],
      {
        // Own process group: a terminal's Ctrl-C reaches skiff, which then stops containerd in order.
        detached: true,
        stdio: ['ignore', logFd, logFd],
        // NOTE: CNI plugins need iptables from /usr/sbin, absent from many users' PATH.
        env: { ...process.env, PATH: `${HOST_PATH}:${process.env.PATH ?? ''}` },
      },
    );
    closeSync(logFd);
    this.child = child;
    this.startedAt = this.clock.now();
    if (child.pid) writeFileSync(p.containerdPidFile, `${child.pid}\n`);
    this.log.info('started containerd', { pid: child.pid, log: p.containerdLog });
    child.once('error', (err) => this.log.error('containerd failed to start', { err }));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.closing) return;
    // A run that lasted a minute counts as healthy: the backoff starts over.
    if (this.clock.now() - this.startedAt > 60_000) this.restarts = 0;
    const delay = Math.min(30_000, 500 * 2 ** this.restarts++);
    this.log.warn('containerd exited; restarting it', { code, signal, inMs: delay, log: this.paths.containerdLog });
    this.restartTimer = this.clock.setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closing) return;
      this.spawn();
      this.waitReady().catch((err) => this.log.error('restarted containerd is not answering', { err }));
    }, delay);
  }

  /** Waits for the socket to accept connections, then for CRI Version to answer. */
  private async waitReady(): Promise<VersionResponse> {
    const deadline = this.clock.now() + (this.opts.startTimeoutMs ?? 60_000);
    const child = this.child;
    let lastErr: unknown;
    while (this.clock.now() < deadline) {
      if (!this.child || this.child !== child) {
        throw new SkiffError('ContainerdExited', `containerd exited during start-up; see ${this.paths.containerdLog}`);
      }
      if (await socketAccepts(this.endpoint)) {
        const cri = new CriClient({ endpoint: this.endpoint, timeoutMs: 5_000 });
        try {
          return await cri.version();
        } catch (err) {
          lastErr = err;
        } finally {
          cri.close();
        }
      }
      await this.clock.sleep(20);
    }
    throw new SkiffError('ContainerdNotReady', `containerd did not answer on ${this.endpoint}: ${String(lastErr ?? 'no socket')}`);
  }

  /** Stops containerd by its PID (TERM, then KILL after 10 s); shims and pods keep running. */
  async close(): Promise<void> {
    this.closing = true;
    this.restartTimer?.cancel();
    const child = this.child;
    this.child = undefined;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killTimer = this.clock.setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      killTimer.cancel();
    }
    if (existsSync(this.paths.containerdPidFile)) rmSync(this.paths.containerdPidFile, { force: true });
  }
}

function socketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopPid(pid: number, graceMs: number, clock: Clock): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = clock.now() + graceMs;
  while (alive(pid) && clock.now() < deadline) await clock.sleep(20);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}
