/**
 * Scheduler throughput, upstream scheduler_perf's SchedulingBasic (5,000 nodes, 10,000 plain
 * pods with 100m/500Mi requests) end to end through the API: a `skiff server
 * --simulate-nodes 5000` (nodes, leases and pod lifecycles in the server process, as a KWOK
 * cluster would be) receives 10,000 pod creates from 64 keep-alive HTTPS clients; a watch on
 * the namespace timestamps each pod's first event with spec.nodeName set. Figure: pods/s from
 * the first create to the last pod bound.
 * Reference, same server, same run, before the measured phase: the raw cost of 10,000 creates
 * of the same pods with `schedulerName: bench-nobody` (no scheduler takes them, no node sees
 * them), so the ratio isolates what scheduling and binding add to a create. Goal ≥ 1,000
 * pods/s (upstream's CI floor is 680 pods/s).
 * Simulated nodes run in-process: the server then carries every node's lease heartbeat and
 * the pods' status writes while it schedules, as a real cluster's apiserver does.
 * Also printed: the server's CPU time per pod in each phase (utime+stime from /proc, less the
 * idle rate of the heartbeats measured for 10 s before), which stays comparable when other
 * work shares the machine and wall-clock rates do not.
 * Run: cd /work/main && npm run build && node dist/bench/scheduler-throughput.js [pods=10000] [nodes=5000]
 * (SKIFF_BENCH_CPU_PROF=DIR profiles the server, see support/skiff-process.ts.)
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
import { startSkiff } from './support/skiff-process.js';

const pods = Number(process.argv[2] ?? 10000);
const nodes = Number(process.argv[3] ?? 5000);
const clients = 64;

console.log(`scheduler-throughput: ${pods} pods onto ${nodes} simulated nodes, ${clients} create clients`);
const t0 = performance.now();
const skiff = await startSkiff({ args: ['--simulate-nodes', String(nodes)] });
const agent = keepAliveAgent(skiff.tls, clients + 2);
try {
  await waitForReadyNodes(agent, skiff.url, nodes);
  console.log(`  ${nodes} nodes Ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await ensureNamespace(agent, skiff.url, 'raw');
  await ensureDefaultServiceAccount(agent, skiff.url, 'raw');
  await ensureNamespace(agent, skiff.url, 'sched');
  await ensureDefaultServiceAccount(agent, skiff.url, 'sched');

  const create = (ns: string, schedulerName?: string) => async (i: number) =>
    void expectStatus(await send(agent, skiff.url, 'POST', `/api/v1/namespaces/${ns}/pods`, podJson(ns, `pod-${i}`, { schedulerName })), 201, 'create pod');

  const idle0 = await processCpuSeconds(skiff.pid);
  await sleep(10_000);
  const idleRate = ((await processCpuSeconds(skiff.pid)) - idle0) / 10;
  const rawCpu0 = await processCpuSeconds(skiff.pid);
  const raw = await runClosedLoop({ clients, total: pods, op: create('raw', 'bench-nobody') });
  const rawCpuMs = ((await processCpuSeconds(skiff.pid)) - rawCpu0 - idleRate * raw.seconds) * 1000;
  const rawRate = raw.count / raw.seconds;

  const bound = new Set<string>();
  const all = until(() => bound.size >= pods);
  const watch = await watchObjects(agent, skiff.url, '/api/v1/namespaces/sched/pods?watch=1', (_type, pod) => {
    if (pod.spec?.nodeName) bound.add(pod.metadata.name);
    all.check();
  });
  const cpu0 = await processCpuSeconds(skiff.pid);
  const start = performance.now();
  const created = await runClosedLoop({ clients, total: pods, op: create('sched') });
  const createdAt = performance.now();
  await all.reached;
  const seconds = (performance.now() - start) / 1000;
  const cpuMs = ((await processCpuSeconds(skiff.pid)) - cpu0 - idleRate * seconds) * 1000;
  watch.close();
  const e2e = pods / seconds;

  console.log(`  idle (heartbeats only):      server CPU ${(idleRate * 100).toFixed(0)}% of a core`);
  console.log(`  raw creates (no scheduler):  ${Math.round(rawRate)} pods/s (${pods} in ${raw.seconds.toFixed(2)} s), server CPU ${(rawCpuMs / pods).toFixed(2)} ms/pod`);
  console.log(`  creates while scheduling:    ${Math.round(created.count / created.seconds)} pods/s; last bound ${((performance.now() - createdAt) / 1000).toFixed(2)} s after the last create`);
  console.log(`  end to end (create → bound): ${Math.round(e2e)} pods/s (${pods} in ${seconds.toFixed(2)} s), server CPU ${(cpuMs / pods).toFixed(2)} ms/pod  (goal ≥ 1000: ${e2e >= 1000 ? 'met' : 'NOT met'}; upstream CI floor 680)`);
  console.log(`  end to end / raw creates:    ${(e2e / rawRate).toFixed(2)}`);
} finally {
  agent.destroy();
  await skiff.stop();
}
