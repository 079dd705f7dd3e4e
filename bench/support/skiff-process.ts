/**
 * Runs `skiff server` for a benchmark from the same compiled tree as the benchmark itself
 * (dist/bench/… → dist/src/cmd/main.js), so a private `--outDir` build measures its own
 * server. Same flags and readiness signal as src/testing/test-server.ts.
 *
 * SKIFF_BENCH_CPU_PROF=DIR runs the server under `node --cpu-prof` writing its profile into DIR
 * when it stops (read it with `node dist/bench/support/read-cpu-profile.js FILE`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tlsFromKubeconfig, type ClientTls } from './client-tls.js';

export const SKIFF_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cmd', 'main.js');

export interface SkiffProcess {
  url: URL;
  pid: number;
  dataDir: string;
  kubeconfig: string;
  tls: ClientTls;
  /** KUBECONFIG and KUBECACHEDIR inside the data dir. */
  env: Record<string, string>;
  /** SIGTERM, wait for exit, then remove the data dir (unless it was given). */
  stop(): Promise<void>;
}

function profileArgs(): string[] {
  const dir = process.env.SKIFF_BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/** Spawns the server without waiting for it; `port` 0 lets it pick one; `extraArgs` are server flags. */
export function spawnSkiff(dataDir: string, port = 0, extraArgs: string[] = []): ChildProcess {
  const args = [SKIFF_MAIN, 'server', '--data-dir', dataDir, '--https-listen-port', String(port), '--bind-address', '127.0.0.1', '--disable-agent', ...extraArgs];
  return spawn(process.execPath, [...profileArgs(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SKIFF_LOG_LEVEL: process.env.SKIFF_LOG_LEVEL ?? 'warn' },
  });
}

export function clientEnv(dataDir: string): Record<string, string> {
  return { KUBECONFIG: join(dataDir, 'kubeconfig.yaml'), KUBECACHEDIR: join(dataDir, 'kube-cache'), HOME: dataDir };
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Starts a server with a fresh temp data dir and resolves once its kubeconfig is written. */
export async function startSkiff(opts: { dataDir?: string; args?: string[] } = {}): Promise<SkiffProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'skiff-bench-')));
  const child = spawnSkiff(dataDir, 0, opts.args);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = /Wrote kubeconfig (\S+)/.exec(out);
      if (!m) return;
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      resolve(m[1]);
    };
    const onExit = (code: number | null) => reject(new Error(`skiff server exited with ${code}: ${stderr}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  child.stdout!.resume();
  const tls = tlsFromKubeconfig(await readFile(kubeconfig, 'utf8'));
  const stop = async () => {
    await stopProcess(child);
    if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  return { url: tls.server, pid: child.pid!, dataDir, kubeconfig, tls, env: clientEnv(dataDir), stop };
}
