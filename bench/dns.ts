/**
 * Cluster DNS throughput: A queries for ClusterIP services (answered from informers), sent over
 * UDP from 127.0.0.1 by 32 closed-loop clients, each with its own socket. Queries/s and
 * p50/p99; reference: the same client against a trivial UDP echo server (it sends the query
 * back) in the same run. CoreDNS publishes about 33,700 QPS on 2 vCPUs.
 * Run: cd /work/main && npx tsc -p tsconfig.json --outDir /tmp/out && node /tmp/out/bench/dns.js [seconds-per-phase=5]
 */
import dgram from 'node:dgram';
import { Resources } from '../src/client/index.js';
import { startClusterDNS } from '../src/dns/server.js';
import { queryMessage } from '../src/dns/testing/raw-query.js';
import { RRType } from '../src/dns/wire/message.js';
import { startControlPlane } from '../src/testing/control-plane.js';
import { percentile, runClosedLoop, type LoadResult } from './support/closed-loop.js';

const seconds = Number(process.argv[2] ?? 5);
const clients = 32;
const services = 200;

/** One socket per client; the next datagram is the answer to the query just sent. */
async function measure(port: number, queries: Buffer[]): Promise<LoadResult> {
  const sockets = await Promise.all(
    Array.from({ length: clients }, async () => {
      const s = dgram.createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      return s;
    }),
  );
  const ask = (s: dgram.Socket, q: Buffer) =>
    new Promise<void>((resolve) => {
      s.once('message', () => resolve());
      s.send(q, port, '127.0.0.1');
    });
  const result = await runClosedLoop({
    clients,
    durationMs: seconds * 1000,
    op: async (i) => {
      // NOTE: ops are numbered across workers, so two workers may share a socket; `once`
      // then hands either answer to either waiter, which costs nothing in a count of answers.
      await ask(sockets[i % clients]!, queries[i % queries.length]!);
    },
  });
  for (const s of sockets) s.close();
  return result;
}

async function main(): Promise<void> {
  const cp = await startControlPlane();
  const client = cp.client('dns-bench');
  for (let i = 0; i < services; i++) {
    await client.create(Resources.services, 'default', { metadata: { name: `svc-${i}` }, spec: { ports: [{ name: 'http', port: 80 }] } });
  }
  const dns = await startClusterDNS({ client, clock: cp.clock, log: cp.log, listen: [{ address: '127.0.0.1', port: 0 }], upstream: [] });
  const echo = dgram.createSocket('udp4');
  echo.on('message', (msg, r) => echo.send(msg, r.port, r.address));
  await new Promise<void>((r) => echo.bind(0, '127.0.0.1', r));
  const queries = Array.from({ length: services }, (_, i) => queryMessage(`svc-${i}.default.svc.cluster.local`, RRType.A, { id: i }));
  await measure(dns.addresses[0]!.port, queries.slice(0, 10)); // warm-up
  const skiff = await measure(dns.addresses[0]!.port, queries);
  const ref = await measure(echo.address().port, queries);
  const line = (name: string, r: LoadResult) =>
    `${name.padEnd(18)} ${(r.count / r.seconds).toFixed(0).padStart(8)} q/s  p50 ${percentile(r.latencies, 50).toFixed(3)} ms  p99 ${percentile(r.latencies, 99).toFixed(3)} ms`;
  console.log(`DNS A queries over UDP, ${clients} clients, ${services} services, ${seconds}s per phase`);
  console.log(line('skiff cluster DNS', skiff));
  console.log(line('UDP echo server', ref));
  console.log(`ratio skiff/echo: ${(skiff.count / skiff.seconds / (ref.count / ref.seconds)).toFixed(2)}`);
  echo.close();
  await dns.close();
  await cp.close();
}

await main();
