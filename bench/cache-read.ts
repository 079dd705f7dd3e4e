/**
 * Reads served from the watch cache, 10,000 ConfigMaps of 1 KiB in one namespace:
 *   - GET of single objects (random names), 32 concurrent clients;
 *   - LIST of the namespace in pages of limit=500, walking every continue token, 8 clients;
 *   - LIST of the namespace without limit, 4 clients.
 * Requests/s with p50/p99 for each; reference: a bare node https server answering a static
 * body of the same size as skiff's response, same client and concurrency, same run.
 * Run: cd /work/main && npm run build && node dist/bench/cache-read.js [seconds-per-phase=6]
 */
import type { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { startBareServer } from './support/bare-server.js';
import { keepAliveAgent } from './support/client-tls.js';
import { percentile, runClosedLoop } from './support/closed-loop.js';
import { ensureNamespace } from './support/ensure-namespace.js';
import { expectStatus, send } from './support/http-request.js';
import { configMapJson } from './support/objects.js';
import { startSkiff } from './support/skiff-process.js';

const seconds = Number(process.argv[2] ?? 6);
const objects = 10_000;
const namespace = 'bench';
const base = `/api/v1/namespaces/${namespace}/configmaps`;
const phaseMs = seconds * 1000;
const warmupMs = 2000;

interface Figures {
  requests: number;
  seconds: number;
  latencies: Float64Array;
}

/** Runs `op` closed-loop for a warm-up (connections, JIT), then for the phase; `op` returns request latencies. */
async function measure(clients: number, op: () => Promise<number[]>, beforePhase?: () => void): Promise<Figures> {
  const collect = async (durationMs: number) => {
    const lat: number[] = [];
    const r = await runClosedLoop({ clients, durationMs, op: async () => void lat.push(...(await op())) });
    return { requests: lat.length, seconds: r.seconds, latencies: Float64Array.from(lat).sort() };
  };
  await collect(warmupMs);
  beforePhase?.();
  return collect(phaseMs);
}

function line(label: string, f: Figures, ref?: Figures): string {
  const rps = f.requests / f.seconds;
  const vs = ref ? `  (${(rps / (ref.requests / ref.seconds)).toFixed(2)} of bare)` : '';
  return `  ${label.padEnd(40)} ${Math.round(rps).toString().padStart(6)} req/s, p50 ${percentile(f.latencies, 50).toFixed(2)} ms, p99 ${percentile(f.latencies, 99).toFixed(2)} ms${vs}`;
}

async function timed(agent: Agent, url: URL, path: string): Promise<{ ms: number; body: Buffer }> {
  const t0 = performance.now();
  const r = expectStatus(await send(agent, url, 'GET', path), 200, `GET ${path}`);
  return { ms: performance.now() - t0, body: r.body };
}

const skiff = await startSkiff();
try {
  const seedAgent = keepAliveAgent(skiff.tls, 32);
  await ensureNamespace(seedAgent, skiff.url, namespace);
  const seedStart = performance.now();
  await runClosedLoop({
    clients: 32,
    total: objects,
    op: async (i) => void expectStatus(await send(seedAgent, skiff.url, 'POST', base, configMapJson(namespace, `cm-${i}`)), 201, 'create'),
  });
  seedAgent.destroy();
  console.log(`cache-read: ${objects} ConfigMaps of 1 KiB in "${namespace}" (seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s), ${seconds} s per phase`);

  // Response sizes for the reference's static bodies, and a check that the cache is complete.
  const probe = keepAliveAgent(skiff.tls, 1);
  const getSize = (await timed(probe, skiff.url, `${base}/cm-0`)).body.length;
  const pageSize = (await timed(probe, skiff.url, `${base}?limit=500`)).body.length;
  const full = (await timed(probe, skiff.url, base)).body;
  probe.destroy();
  const listed = (JSON.parse(full.toString('utf8')) as { items: unknown[] }).items.length;
  if (listed !== objects) throw new Error(`LIST returned ${listed} items, want ${objects}`);
  console.log(`  response sizes: GET ${getSize} B, LIST page ${pageSize} B, full LIST ${full.length} B`);

  // First pages come from the watch cache, continued ones from wherever skiff serves them.
  const firstPages: number[] = [];
  const phases = [
    {
      label: 'GET one object, 32 clients',
      clients: 32,
      skiff: (a: Agent) => async () => [(await timed(a, skiff.url, `${base}/cm-${Math.floor(Math.random() * objects)}`)).ms],
      size: getSize,
    },
    {
      label: 'LIST limit=500 pages, 8 clients',
      clients: 8,
      skiff: (a: Agent) => async () => {
        const pages: number[] = [];
        let cont = '';
        do {
          const r = await timed(a, skiff.url, `${base}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
          if (cont === '') firstPages.push(r.ms);
          pages.push(r.ms);
          // NOTE: list metadata comes first; reading the token there keeps client work out of the figure.
          cont = /"continue":"([^"]*)"/.exec(r.body.subarray(0, 4096).toString('utf8'))?.[1] ?? '';
        } while (cont !== '');
        return pages;
      },
      size: pageSize,
    },
    {
      label: 'LIST all 10,000, 4 clients',
      clients: 4,
      skiff: (a: Agent) => async () => [(await timed(a, skiff.url, base)).ms],
      size: full.length,
    },
  ];

  const bare = await startBareServer(skiff);
  try {
    for (const p of phases) {
      const bareAgent = keepAliveAgent(bare.tls, p.clients);
      const ref = await measure(p.clients, async () => [(await timed(bareAgent, bare.tls.server, `/bytes/${p.size}`)).ms]);
      bareAgent.destroy();
      const agent = keepAliveAgent(skiff.tls, p.clients);
      const got = await measure(p.clients, p.skiff(agent), () => (firstPages.length = 0));
      agent.destroy();
      console.log(line(`skiff ${p.label}`, got, ref));
      if (firstPages.length > 0) {
        const f = Float64Array.from(firstPages).sort();
        console.log(`    of which first pages: p50 ${percentile(f, 50).toFixed(2)} ms, p99 ${percentile(f, 99).toFixed(2)} ms (${f.length})`);
        firstPages.length = 0;
      }
      console.log(line(`bare  ${p.size} B static body`, ref));
    }
  } finally {
    await bare.stop();
  }
} finally {
  await skiff.stop();
}
