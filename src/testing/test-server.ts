/**
 * Starts a real `skiff server` process for integration tests: free port, temp data dir, own
 * kubectl cache dir; stopped by PID and cleaned up by `stop()`.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The checkout's bin/skiff (this file runs from dist/src/testing/). */
export const SKIFF_BIN = join(here, '..', '..', '..', 'bin', 'skiff');

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestServer {
  port: number;
  dataDir: string;
  kubeconfig: string;
  url: string;
  process: ChildProcess;
  /** Runs the real kubectl against this server. */
  kubectl(args: string[], opts?: { input?: string; binary?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** Environment for clients (KUBECONFIG, KUBECACHEDIR). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTestServer(opts: { args?: string[]; dataDir?: string; keepDataDir?: boolean } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'skiff-test-')));
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  const child = spawn(process.execPath, [SKIFF_BIN, 'server', '--data-dir', dataDir, '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--disable-agent', ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SKIFF_LOG_LEVEL: process.env.SKIFF_LOG_LEVEL ?? 'warn' },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/Wrote kubeconfig (\S+)/);
      if (m) {
        child.stdout!.off('data', onData);
        readFile(m[1], 'utf8').then((text) => {
          const pm = text.match(/server: https:\/\/127\.0\.0\.1:(\d+)/);
          if (pm) resolve(Number(pm[1]));
          else reject(new Error('no server URL in kubeconfig'));
        }, reject);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`skiff server exited with ${code}: ${stderr}`)));
  });
  child.stdout!.resume();
  const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dataDir, 'kube-cache'), HOME: dataDir };
  const kubectl = (args: string[], o: { input?: string; binary?: string; env?: Record<string, string> } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const p = execFile(o.binary ?? 'kubectl', args, { env: { ...process.env, ...env, ...o.env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderrText) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr: stderrText });
      });
      if (o.input !== undefined) p.stdin!.end(o.input);
      else p.stdin!.end();
    });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (!opts.keepDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  return { port, dataDir, kubeconfig, url: `https://127.0.0.1:${port}`, process: child, kubectl, env, stop };
}
