/**
 * Raw CRI costs on this machine: RunPodSandbox, CreateContainer, StartContainer (and
 * StopPodSandbox) for N sequential busybox pods through skiff's own containerd. These are
 * the floor the node agent's pod-startup latency is compared with. Root only.
 *   node dist/bench/cri-costs.js [N=10]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeSkipReason, startRuntimeEnv } from '../test/e2e/runtime-env.js';

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return `min ${s[0].toFixed(0)} median ${median.toFixed(0)} max ${s[s.length - 1].toFixed(0)}`;
}

async function main(): Promise<void> {
  const skip = runtimeSkipReason();
  if (skip) {
    console.log(`cri-costs: skipped: ${skip}`);
    return;
  }
  const n = Number(process.argv[2] ?? 10);
  const env = await startRuntimeEnv();
  const costs = { RunPodSandbox: [] as number[], CreateContainer: [] as number[], StartContainer: [] as number[], StopPodSandbox: [] as number[], total: [] as number[] };
  try {
    for (let i = 0; i < n; i++) {
      const uid = randomUUID();
      const sandboxConfig = env.sandboxConfig(`bench-${i}`, uid);
      mkdirSync(join(sandboxConfig.log_directory!, 'main'), { recursive: true });
      const t0 = performance.now();
      const sandboxId = await env.cri.runPodSandbox(sandboxConfig);
      const t1 = performance.now();
      const containerId = await env.cri.createContainer(
        sandboxId,
        { metadata: { name: 'main' }, image: { image: env.busybox }, command: ['sleep', '3600'], log_path: 'main/0.log' },
        sandboxConfig,
      );
      const t2 = performance.now();
      await env.cri.startContainer(containerId);
      const t3 = performance.now();
      costs.RunPodSandbox.push(t1 - t0);
      costs.CreateContainer.push(t2 - t1);
      costs.StartContainer.push(t3 - t2);
      costs.total.push(t3 - t0);
      const t4 = performance.now();
      await env.cri.stopPodSandbox(sandboxId);
      costs.StopPodSandbox.push(performance.now() - t4);
      await env.cri.removePodSandbox(sandboxId);
    }
  } finally {
    await env.close();
  }
  console.log(`raw CRI costs over ${n} sequential pods (ms):`);
  for (const [k, v] of Object.entries(costs)) console.log(`  ${k.padEnd(16)} ${summary(v)}`);
}

await main();
