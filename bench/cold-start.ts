/**
 * Cold start: `skiff server` process start → first successful `kubectl get ns` (the real
 * kubectl polled until it exits 0, with KUBECONFIG and an empty KUBECACHEDIR in the data dir),
 * 5 runs on a fresh data dir (first boot: certificates, bootstrap objects) and 5 restarts on
 * an existing one; median and max. Then the server's idle RSS 10 s after start (VmRSS).
 * Goals: ≤ 1 s to the first kubectl success, ≤ 150 MB idle RSS.
 * Run: cd /work/main && npm run build && node dist/bench/cold-start.js [runs=5]
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './support/closed-loop.js';
import { clientEnv, spawnSkiff, stopProcess } from './support/skiff-process.js';

const runs = Number(process.argv[2] ?? 5);
const giveUpMs = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function kubectlGetNs(env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile('kubectl', ['get', 'ns', '--request-timeout=5s'], { env: { ...process.env, ...env } }, (err) =>
      resolve(err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0),
    );
  });
}

/** Starts a server on `dataDir` and polls kubectl; leaves the server running. */
interface StartTiming {
  /** Process start → first successful kubectl get ns. */
  ms: number;
  /** Process start → kubeconfig written (the server's own readiness). */
  readyMs: number;
  /** Duration of the successful kubectl run (discovery with an empty cache, then the list). */
  kubectlMs: number;
  child: ChildProcess;
}

async function timeToKubectl(dataDir: string): Promise<StartTiming> {
  const port = await freePort();
  const env = clientEnv(dataDir);
  await rm(env.KUBECACHEDIR, { recursive: true, force: true });
  const t0 = performance.now();
  const child = spawnSkiff(dataDir, port);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  let readyMs = Number.NaN;
  let stdout = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
    if (Number.isNaN(readyMs) && stdout.includes('Wrote kubeconfig')) readyMs = performance.now() - t0;
  });
  while (performance.now() - t0 < giveUpMs) {
    if (child.exitCode !== null) throw new Error(`skiff server exited with ${child.exitCode}: ${stderr}`);
    const k0 = performance.now();
    if ((await kubectlGetNs(env)) === 0) {
      const now = performance.now();
      return { ms: now - t0, readyMs, kubectlMs: now - k0, child };
    }
  }
  await stopProcess(child);
  throw new Error(`kubectl get ns did not succeed within ${giveUpMs} ms: ${stderr}`);
}

async function vmRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

function summary(label: string, timings: StartTiming[]): string {
  const ms = timings.map((t) => t.ms);
  const sorted = Float64Array.from(ms).sort();
  const med = (pick: (t: StartTiming) => number) => Math.round(percentile(Float64Array.from(timings, pick).sort(), 50));
  const median = percentile(sorted, 50);
  const max = sorted[sorted.length - 1];
  return `  ${label}: median ${Math.round(median)} ms, max ${Math.round(max)} ms  (goal ≤ 1000 ms: ${max <= 1000 ? 'met' : median <= 1000 ? 'median met' : 'NOT met'}) [${ms.map((m) => Math.round(m)).join(', ')}]\n    of which: server ready (kubeconfig written) median ${med((t) => t.readyMs)} ms; the successful kubectl run median ${med((t) => t.kubectlMs)} ms`;
}

console.log(`cold-start: process start → first successful kubectl get ns, ${runs} runs each`);
const first: StartTiming[] = [];
const restart: StartTiming[] = [];
let rss = Number.NaN;
const dirs: string[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-cold-'));
    dirs.push(dir);
    const fresh = await timeToKubectl(dir);
    first.push(fresh);
    await stopProcess(fresh.child);
    const again = await timeToKubectl(dir);
    restart.push(again);
    if (i < runs - 1) {
      await stopProcess(again.child);
      continue;
    }
    try {
      await sleep(Math.max(0, 10_000 - again.ms));
      rss = await vmRssMiB(again.child.pid!);
    } finally {
      await stopProcess(again.child);
    }
  }
} finally {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}
console.log(summary('first boot (fresh data dir)', first));
console.log(summary('restart (existing data dir)', restart));
console.log(`  idle RSS 10 s after start: ${rss.toFixed(1)} MiB  (goal ≤ 150 MB: ${rss * 1.048576 <= 150 ? 'met' : 'NOT met'})`);
