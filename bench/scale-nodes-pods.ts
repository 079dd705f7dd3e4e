/**
 * KWOK's headline: 1,000 simulated nodes and 100,000 pods held by one `skiff server
 * --simulate-nodes 1000` (nodes in the server process, so its RSS holds the whole cluster:
 * API, watch cache, controllers' and scheduler's informers, the simulated kubelets' state).
 * Pods are created already bound (spec.nodeName, round-robin) by 64 HTTPS clients so the
 * scheduler is not the bottleneck; a watch counts them Running. Then 30 s of idle: server
 * RSS (VmRSS) and CPU seconds used (utime+stime from /proc), lease heartbeats included.
 * Reference, same server, same run: its RSS with the nodes Ready and no pods; RSS per pod is
 * (RSS with pods − RSS without) / pods.
 * Run: cd /work/main && npm run build && node dist/bench/scale-nodes-pods.js [pods=100000] [nodes=1000]
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent } from './support/client-tls.js';
import { runClosedLoop } from './support/closed-loop.js';
import { ensureNamespace } from './support/ensure-namespace.js';
import { expectStatus, send } from './support/http-request.js';
import { waitForReadyNodes } from './support/nodes-ready.js';
import { until, watchObjects } from './support/object-watch.js';
import { ensureDefaultServiceAccount } from './support/service-account.js';
import { podJson } from './support/pods.js';
import { processCpuSeconds } from './support/process-cpu.js';
import { MiB, processRssBytes } from './support/process-memory.js';
import { startSkiff } from './support/skiff-process.js';

const pods = Number(process.argv[2] ?? 100000);
const nodes = Number(process.argv[3] ?? 1000);
const clients = 64;
const idleSeconds = 30;

async function idleCpu(pid: number): Promise<number> {
  const before = await processCpuSeconds(pid);
  await sleep(idleSeconds * 1000);
  return (await processCpuSeconds(pid)) - before;
}

console.log(`scale-nodes-pods: ${nodes} simulated nodes, ${pods} pods bound directly`);
const skiff = await startSkiff({ args: ['--simulate-nodes', String(nodes)] });
const agent = keepAliveAgent(skiff.tls, clients + 2);
try {
  await waitForReadyNodes(agent, skiff.url, nodes);
  await ensureNamespace(agent, skiff.url, 'scale');
  await ensureDefaultServiceAccount(agent, skiff.url, 'scale');
  const emptyCpu = await idleCpu(skiff.pid);
  const emptyRss = await processRssBytes(skiff.pid);

  const running = new Set<string>();
  const all = until(() => running.size >= pods);
  const watch = await watchObjects(agent, skiff.url, '/api/v1/namespaces/scale/pods?watch=1', (_type, pod) => {
    if ((pod.status as { phase?: string } | undefined)?.phase === 'Running') running.add(pod.metadata.name);
    all.check();
  });
  const start = performance.now();
  const created = await runClosedLoop({
    clients,
    total: pods,
    op: async (i) => void expectStatus(await send(agent, skiff.url, 'POST', '/api/v1/namespaces/scale/pods', podJson('scale', `pod-${i}`, { nodeName: `sim-${i % nodes}` })), 201, 'create pod'),
  });
  await all.reached;
  const toRunning = (performance.now() - start) / 1000;
  watch.close();
  const cpu = await idleCpu(skiff.pid);
  const rss = await processRssBytes(skiff.pid);

  console.log(`  creates: ${Math.round(created.count / created.seconds)} pods/s; all ${pods} Running after ${toRunning.toFixed(1)} s`);
  console.log(`  RSS, nodes only (reference):  ${(emptyRss / MiB).toFixed(0)} MiB; idle CPU ${emptyCpu.toFixed(2)} s over ${idleSeconds} s`);
  console.log(`  RSS with ${pods} pods:         ${(rss / MiB).toFixed(0)} MiB; idle CPU ${cpu.toFixed(2)} s over ${idleSeconds} s (${((100 * cpu) / idleSeconds).toFixed(0)}% of a core)`);
  console.log(`  RSS per pod:                  ${((rss - emptyRss) / pods / 1024).toFixed(1)} KiB`);
} finally {
  agent.destroy();
  await skiff.stop();
}
