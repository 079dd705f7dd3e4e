/**
 * Starts a throwaway single-member etcd (Debian's /usr/bin/etcd) for tests: free client and
 * peer ports on 127.0.0.1, a temp data dir, ready when /health answers. stop() kills it by
 * PID and removes the data dir.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock } from '../base/clock.js';

export const etcdBinary = '/usr/bin/etcd';

export interface EtcdServer {
  endpoint: string;
  stop(): Promise<void>;
}

export function etcdAvailable(): boolean {
  return existsSync(etcdBinary);
}

export async function startEtcd(): Promise<EtcdServer> {
  if (!etcdAvailable()) throw new Error(`${etcdBinary} is missing: install Debian's etcd-server to run etcd tests`);
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    etcdBinary,
    [
      '--name', 'skiff-test',
      '--data-dir', dataDir,
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `skiff-test=${peer}`,
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    if (running && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };

  // Readiness by polling /health with a short backoff; bounded by the process exiting.
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (!running) {
      await stop();
      throw new Error(`etcd exited during startup: ${stderr}`);
    }
    if (await healthy(client)) return { endpoint: client, stop };
    await realClock.sleep(delay);
  }
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`);
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
