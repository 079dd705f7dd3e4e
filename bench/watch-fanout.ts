/**
 * Watch fan-out: 1,000 concurrent watchers on the ConfigMaps of one namespace (HTTP/1.1, each
 * on its own TLS connection), then 1,000 updates (merge patches, 4 in flight). For every
 * update and watcher: time from the write's acknowledgement (its response received) to the
 * watcher receiving the event; p50/p99 over all deliveries, and events/s delivered to each
 * watcher. Then the delivery rate to a single watcher under a burst of updates (32 in flight).
 * Reference: upstream's requirement of ≥ 500 events/s to one watcher.
 * NOTE: writers and watchers share this process's event loop, so both timestamps carry its
 * queueing delay; an event can reach a watcher before its write's response is read.
 * Run: cd /work/main && npm run build && node dist/bench/watch-fanout.js [watchers=1000] [updates=1000]
 */
import { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { keepAliveAgent } from './support/client-tls.js';
import { percentile, runClosedLoop } from './support/closed-loop.js';
import { ensureNamespace } from './support/ensure-namespace.js';
import { expectStatus, send } from './support/http-request.js';
import { configMapJson } from './support/objects.js';
import { startSkiff, type SkiffProcess } from './support/skiff-process.js';
import { openWatch, type WatchStream } from './support/watch-stream.js';
import { processCpuSeconds } from './support/process-cpu.js';

const watcherCount = Number(process.argv[2] ?? 1000);
const updates = Number(process.argv[3] ?? 1000);
// NOTE: more objects than updates in flight, so concurrent merge patches rarely hit one object.
const objects = 64;
const namespace = 'bench';
const base = `/api/v1/namespaces/${namespace}/configmaps`;
const deliveryTimeoutMs = 60_000;
let conflicts = 0;
const SEQ = /"benchSeq":"(\d+)"/;

interface Round {
  /** Per update: when its request was sent. */
  sent: Float64Array;
  /** Per update: when its response arrived. */
  ack: Float64Array;
  /** Per watcher × update: when the event arrived (NaN = not yet). */
  received: Float64Array;
  watchers: number;
  seconds: number;
  /** CPU seconds used during the updates and deliveries. */
  serverCpu: number;
  clientCpu: number;
}

async function listRevision(agent: Agent, skiff: SkiffProcess): Promise<string> {
  const r = expectStatus(await send(agent, skiff.url, 'GET', `${base}?limit=1`), 200, 'list');
  return (JSON.parse(r.body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

/** Opens the watchers, applies `count` updates `inFlight` at a time, waits for every delivery. */
async function round(skiff: SkiffProcess, writer: Agent, watchers: number, count: number, inFlight: number, seqBase: number): Promise<Round> {
  const received = new Float64Array(watchers * count).fill(Number.NaN);
  let pending = watchers * count;
  let allDelivered: () => void = () => undefined;
  const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
  // NOTE: keep-alive off with unlimited sockets gives each watch its own connection.
  const watchAgent = new Agent({ keepAlive: false, maxSockets: Infinity, ca: skiff.tls.ca, cert: skiff.tls.cert, key: skiff.tls.key });
  const rv = await listRevision(writer, skiff);
  const streams: WatchStream[] = [];
  try {
    await runClosedLoop({
      clients: 50,
      total: watchers,
      op: async (w) => {
        const stream = await openWatch(watchAgent, skiff.url, `${base}?watch=1&resourceVersion=${rv}`, (line) => {
          const m = SEQ.exec(line);
          if (!m) return;
          const i = Number(m[1]) - seqBase;
          if (i < 0 || i >= count || !Number.isNaN(received[w * count + i])) return;
          received[w * count + i] = performance.now();
          if (--pending === 0) allDelivered();
        });
        streams.push(stream);
      },
    });
    const sent = new Float64Array(count);
    const ack = new Float64Array(count);
    const t0 = performance.now();
    const serverCpu0 = await processCpuSeconds(skiff.pid);
    const clientCpu0 = process.cpuUsage();
    await runClosedLoop({
      clients: inFlight,
      total: count,
      op: async (i) => {
        const patch = JSON.stringify({ data: { benchSeq: String(seqBase + i) } });
        for (;;) {
          sent[i] = performance.now();
          const r = await send(writer, skiff.url, 'PATCH', `${base}/cm-${i % objects}`, patch);
          ack[i] = performance.now();
          // NOTE: upstream retries a merge patch on conflict inside the server; retry here
          // too, and count it, so a 409 from skiff shows up in the output instead of aborting.
          if (r.status === 409) {
            conflicts++;
            continue;
          }
          expectStatus(r, 200, 'patch');
          break;
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([delivered, new Promise((resolve) => (timer = setTimeout(resolve, deliveryTimeoutMs)))]);
    clearTimeout(timer);
    const seconds = (performance.now() - t0) / 1000;
    const client = process.cpuUsage(clientCpu0);
    const serverCpu = (await processCpuSeconds(skiff.pid)) - serverCpu0;
    return { sent, ack, received, watchers, seconds, serverCpu, clientCpu: (client.user + client.system) / 1e6 };
  } finally {
    for (const s of streams) s.close();
    watchAgent.destroy();
  }
}

/** Events/s each watcher received between its first and last event. */
function perWatcherRates(r: Round, count: number): Float64Array {
  const rates: number[] = [];
  for (let w = 0; w < r.watchers; w++) {
    let first = Infinity;
    let last = -Infinity;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const t = r.received[w * count + i];
      if (Number.isNaN(t)) continue;
      n++;
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    if (n > 1) rates.push((n - 1) / ((last - first) / 1000));
  }
  return Float64Array.from(rates).sort();
}

const skiff = await startSkiff();
const writer = keepAliveAgent(skiff.tls, 32);
try {
  await ensureNamespace(writer, skiff.url, namespace);
  for (let i = 0; i < objects; i++) {
    expectStatus(await send(writer, skiff.url, 'POST', base, configMapJson(namespace, `cm-${i}`, 512, { benchSeq: '-1' })), 201, 'create');
  }
  console.log(`watch-fanout: ${watcherCount} watchers on "${namespace}" ConfigMaps, ${updates} updates of ${objects} objects (512 B)`);

  const fan = await round(skiff, writer, watcherCount, updates, 4, 0);
  const fromAck: number[] = [];
  const fromSent: number[] = [];
  let early = 0;
  for (let w = 0; w < fan.watchers; w++) {
    for (let i = 0; i < updates; i++) {
      const t = fan.received[w * updates + i];
      if (Number.isNaN(t)) continue;
      if (t < fan.ack[i]) early++;
      fromAck.push(t - fan.ack[i]);
      fromSent.push(t - fan.sent[i]);
    }
  }
  const ackSorted = Float64Array.from(fromAck).sort();
  const sentSorted = Float64Array.from(fromSent).sort();
  const missing = watcherCount * updates - fromAck.length;
  const ms = (a: Float64Array) => `p50 ${percentile(a, 50).toFixed(1)} ms, p99 ${percentile(a, 99).toFixed(1)} ms, max ${a[a.length - 1]?.toFixed(1)} ms`;
  console.log(`  deliveries: ${fromAck.length} of ${watcherCount * updates}${missing ? ` (${missing} MISSING)` : ''} in ${fan.seconds.toFixed(2)} s (${Math.round(fromAck.length / fan.seconds)} events/s over all watchers)`);
  console.log(`  CPU during the round: server ${fan.serverCpu.toFixed(1)} s, this client ${fan.clientCpu.toFixed(1)} s; writes ${Math.round(updates / fan.seconds)} updates/s`);
  console.log(`  ack → watcher:     ${ms(ackSorted)}  (negative = event before the write's response; ${early} of ${fromAck.length})`);
  console.log(`  request → watcher: ${ms(sentSorted)}`);
  const rates = perWatcherRates(fan, updates);
  console.log(`  events/s to each watcher (bounded by the write rate above): p50 ${Math.round(percentile(rates, 50))}, min ${Math.round(rates[0] ?? 0)}`);

  const burstUpdates = Math.max(updates, 2000);
  const solo = await round(skiff, writer, 1, burstUpdates, 32, updates);
  const soloRate = perWatcherRates(solo, burstUpdates)[0] ?? 0;
  const soloMissing = solo.received.filter((t) => Number.isNaN(t)).length;
  console.log(`  one watcher, ${burstUpdates} updates 32 in flight: ${Math.round(soloRate)} events/s${soloMissing ? ` (${soloMissing} MISSING)` : ''}  (reference ≥ 500 events/s: ${soloRate >= 500 ? 'met' : 'NOT met'})`);
  if (conflicts) console.log(`  NOTE: ${conflicts} merge patches answered 409 Conflict and were retried (upstream retries inside the server)`);
} finally {
  writer.destroy();
  await skiff.stop();
}
