/**
 * Create throughput over HTTPS: 32 concurrent keep-alive clients POST 1 KiB ConfigMaps to a
 * `skiff server` on its default sqlite store, compared in the same run with
 *   - the raw sqlite store: 32 concurrent writers creating 1 KiB values (as store-writes.ts),
 *     same storage code and durability as the server's; goal skiff/store ≥ 0.5;
 *   - a bare node https server that parses the JSON body and answers it, same client
 *     (the ceiling of one Node process).
 * Run: cd /work/main && npm run build && node dist/bench/api-create.js [creates=20000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../src/storage/index.js';
import { startBareServer } from './support/bare-server.js';
import { keepAliveAgent, type ClientTls } from './support/client-tls.js';
import { describe, rate, runClosedLoop, type LoadResult } from './support/closed-loop.js';
import { ensureNamespace } from './support/ensure-namespace.js';
import { expectStatus, send } from './support/http-request.js';
import { configMapJson } from './support/objects.js';
import { startSkiff } from './support/skiff-process.js';

const total = Number(process.argv[2] ?? 20000);
const clients = 32;
const warmup = Math.min(1000, total);
const namespace = 'bench';
const path = `/api/v1/namespaces/${namespace}/configmaps`;

async function storeWrites(): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-store-'));
  try {
    const storage = await openSqliteStorage({ path: join(dir, 'db', 'state.db') });
    const value = JSON.stringify({ pad: 'x'.repeat(1024 - 10) });
    const write = (prefix: string) => async (i: number) => void (await storage.create(`/registry/configmaps/${namespace}/${prefix}-${i}`, value));
    await runClosedLoop({ clients, total: warmup, op: write('warm') });
    const result = await runClosedLoop({ clients, total, op: write('cm') });
    await storage.close();
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function httpCreates(tls: ClientTls, prepare?: (agent: Agent) => Promise<void>): Promise<LoadResult> {
  const agent = keepAliveAgent(tls, clients);
  try {
    await prepare?.(agent);
    const create = (prefix: string) => async (i: number) =>
      void expectStatus(await send(agent, tls.server, 'POST', path, configMapJson(namespace, `${prefix}-${i}`)), 201, 'create');
    await runClosedLoop({ clients, total: warmup, op: create('warm') });
    return await runClosedLoop({ clients, total, op: create('cm') });
  } finally {
    agent.destroy();
  }
}

console.log(`api-create: ${total} creates of 1 KiB ConfigMaps, ${clients} concurrent clients (after ${warmup} warm-up)`);
const store = await storeWrites();
console.log(`  sqlite store, in process:   ${describe(store, 'writes')}`);

// The bare server borrows the skiff server's certificates; skiff idles meanwhile.
const skiff = await startSkiff();
let bareResult: LoadResult;
let skiffResult: LoadResult;
try {
  const bare = await startBareServer(skiff);
  try {
    bareResult = await httpCreates(bare.tls);
  } finally {
    await bare.stop();
  }
  console.log(`  bare https server (echo):   ${describe(bareResult, 'req')}`);
  skiffResult = await httpCreates(skiff.tls, (agent) => ensureNamespace(agent, skiff.url, namespace));
} finally {
  await skiff.stop();
}
console.log(`  skiff server (sqlite):      ${describe(skiffResult, 'creates')}`);
const vsStore = rate(skiffResult) / rate(store);
console.log(`  skiff / sqlite store:       ${vsStore.toFixed(2)}  (goal ≥ 0.5: ${vsStore >= 0.5 ? 'met' : 'NOT met'})`);
console.log(`  skiff / bare https server:  ${(rate(skiffResult) / rate(bareResult)).toFixed(2)}`);
