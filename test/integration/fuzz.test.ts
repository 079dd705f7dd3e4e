/**
 * Fuzzes every endpoint family of a real `skiff server` with thousands of hostile requests:
 * the server must stay up, answer each with a client error `Status` (never a 5xx), and leave
 * the store exactly as it was. Seeded and deterministic; set SKIFF_FUZZ_SEED to replay a run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';
import { describeRequest, rawClient, type RawClient, type RawRequest, type RawResponse } from './fuzz-client.js';
import { nextRequest, seededRng, type Endpoint, type FuzzWorld } from './fuzz-inputs.js';

const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 0x5eed5);
const COUNT = Number(process.env.SKIFF_FUZZ_COUNT ?? 3000);
const IN_FLIGHT = 8;

let server: TestServer;
let client: RawClient;

before(async () => {
  // The store must stay still between snapshots: no controllers or schedulers writing leases and defaults.
  server = await startTestServer({ args: ['--disable-controller-manager', '--disable-scheduler'] });
  client = await rawClient(server.kubeconfig, server.port, IN_FLIGHT);
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function discoverEndpoints(): Promise<Endpoint[]> {
  const prefixes = ['/api/v1'];
  const groups = await client.json('GET', '/apis');
  for (const g of groups.groups as { versions: { groupVersion: string }[] }[]) for (const v of g.versions) prefixes.push(`/apis/${v.groupVersion}`);
  const out: Endpoint[] = [];
  for (const prefix of prefixes) {
    const list = await client.json('GET', prefix);
    for (const r of list.resources as { name: string; namespaced: boolean; verbs: string[] }[]) out.push({ prefix, name: r.name, namespaced: r.namespaced, verbs: r.verbs });
  }
  return out;
}

/** Every listable resource's objects, as `namespace/name@resourceVersion`, by resource. */
async function snapshot(endpoints: Endpoint[]): Promise<Map<string, string[]>> {
  const snap = new Map<string, string[]>();
  for (const e of endpoints) {
    if (e.name.includes('/') || !e.verbs.includes('list')) continue;
    const list = await client.json('GET', `${e.prefix}/${e.name}`);
    const items = (list.items as { metadata: { namespace?: string; name: string; resourceVersion: string } }[]).map(
      (i) => `${i.metadata.namespace ?? ''}/${i.metadata.name}@${i.metadata.resourceVersion}`,
    );
    snap.set(`${e.prefix}/${e.name}`, items.sort());
  }
  return snap;
}

interface Failure {
  request: RawRequest;
  why: string;
  response?: RawResponse;
}

/** What must hold for any answer: below 500, and any error is a well-formed failure Status. */
function check(req: RawRequest, res: RawResponse): string | undefined {
  if (res.status >= 500) return `server error ${res.status}`;
  // Every generated write body is invalid, so accepting one means the server took garbage.
  if (res.status < 300 && ['POST', 'PUT', 'PATCH'].includes(req.method)) return `write accepted (${res.status}) although its body is invalid`;
  if (res.status < 300 || req.method === 'HEAD') return undefined;
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(res.body.toString('utf8'));
  } catch {
    return `non-JSON error body (content-type ${String(res.headers['content-type'])})`;
  }
  if (s.kind !== 'Status' || s.apiVersion !== 'v1') return `error body is not a Status (kind ${JSON.stringify(s.kind)})`;
  if (s.status !== 'Failure') return `Status.status is ${JSON.stringify(s.status)}`;
  if (s.code !== res.status) return `Status.code ${JSON.stringify(s.code)} differs from HTTP ${res.status}`;
  if (typeof s.reason !== 'string' || s.reason === '') return 'Status has no reason';
  return undefined;
}

test(`fuzz: ${COUNT} hostile requests (seed ${SEED})`, async (t) => {
  t.diagnostic(`seed ${SEED} (replay with SKIFF_FUZZ_SEED=${SEED})`);
  const endpoints = await discoverEndpoints();
  assert.ok(endpoints.length > 10, 'discovery lists resources');
  const before = await snapshot(endpoints);
  const existing: FuzzWorld['existing'] = [];
  for (const [key, items] of before) {
    const [prefix, plural] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    for (const it of items) {
      const [nsName] = it.split('@');
      const [ns, name] = nsName.split('/');
      existing.push({ prefix, plural, namespace: ns || undefined, name });
    }
  }
  const world: FuzzWorld = { endpoints, existing, missingNamespace: 'fz-no-such-namespace' };
  const rng = seededRng(SEED);
  const failures: Failure[] = [];
  const byStatus = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < COUNT) {
      next++;
      // Generated synchronously at pull time, so the sequence depends only on the seed.
      const req = nextRequest(rng, world);
      let res: RawResponse;
      try {
        res = await client.send(req);
      } catch (err) {
        failures.push({ request: req, why: `transport error: ${(err as Error).message}` });
        continue;
      }
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      const why = check(req, res);
      if (why) failures.push({ request: req, why, response: res });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  t.diagnostic(`responses by status: ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`);

  // One line per distinct kind of failure, with the first request that showed it.
  const distinct = new Map<string, { first: Failure; count: number }>();
  for (const f of failures) {
    const key = `${f.request.method} ${f.why} ${f.response ? f.response.body.toString('utf8').slice(0, 80).replace(/\d+/g, 'N') : ''}`;
    const d = distinct.get(key);
    if (d) d.count++;
    else distinct.set(key, { first: f, count: 1 });
  }
  const report = [...distinct.values()].map(
    ({ first, count }) => `${count}× ${first.why}\n  request: ${describeRequest(first.request)}\n  response: ${first.response ? `${first.response.status} ${first.response.body.toString('utf8').slice(0, 400)}` : '(none)'}`,
  );

  assert.equal(server.process.exitCode, null, 'server process exited during the fuzz');
  assert.equal(server.process.signalCode, null, 'server process was killed during the fuzz');
  const health = await client.send({ method: 'GET', path: '/healthz' });
  assert.equal(health.status, 200, 'server answers /healthz after the fuzz');
  assert.equal(health.body.toString('utf8'), 'ok');

  const afterSnap = await snapshot(endpoints);
  const changed: string[] = [];
  for (const key of new Set([...before.keys(), ...afterSnap.keys()])) {
    const a = before.get(key) ?? [];
    const b = afterSnap.get(key) ?? [];
    const gone = a.filter((x) => !b.includes(x));
    const added = b.filter((x) => !a.includes(x));
    if (gone.length || added.length) changed.push(`${key}: before-only ${JSON.stringify(gone)} after-only ${JSON.stringify(added)}`);
  }

  // Both in one message: a store change is usually explained by one of the bad answers.
  assert.deepEqual(
    { badAnswers: report, storeChanges: changed },
    { badAnswers: [], storeChanges: [] },
    `seed ${SEED}: ${failures.length} bad answers of ${COUNT}:\n${report.join('\n')}\nstore changes:\n${changed.join('\n')}`,
  );
});
