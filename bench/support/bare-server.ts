/**
 * Starts the reference server (bare-server-main.ts) in a child process. It borrows a running
 * skiff's certificates, so the benchmark's client TLS setup works for both unchanged.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientTls } from './client-tls.js';
import type { SkiffProcess } from './skiff-process.js';
import { stopProcess } from './skiff-process.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'bare-server-main.js');

export interface BareServer {
  tls: ClientTls;
  pid: number;
  stop(): Promise<void>;
}

export async function startBareServer(skiff: SkiffProcess): Promise<BareServer> {
  const child = spawn(process.execPath, [MAIN, join(skiff.dataDir, 'tls')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { tls: { ...skiff.tls, server: new URL(`https://127.0.0.1:${port}`) }, pid: child.pid!, stop: () => stopProcess(child) };
}
