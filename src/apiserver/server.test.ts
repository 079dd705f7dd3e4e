import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realClock } from '../base/clock.js';
import { silentLogger } from '../base/logger.js';
import { openMemoryStorage } from '../storage/index.js';
import { createTypeRegistry } from '../api/schema/registry.js';
import { ApiServer } from './server.js';
import { builtinTableWithPrinters } from './builtin-table.js';
import { bootstrapObjects } from './bootstrap.js';
import { managedFieldsUpdater } from './managed-fields.js';

let api: ApiServer;
let http: Server;
let base: string;

before(async () => {
  const storage = await openMemoryStorage();
  const types = () => createTypeRegistry();
  api = new ApiServer({
    storage,
    table: builtinTableWithPrinters(),
    clock: realClock,
    log: silentLogger,
    typeRegistry: types,
    managedFields: managedFieldsUpdater(types),
    advertiseAddress: '127.0.0.1:6443',
  });
  await api.start();
  await bootstrapObjects(api);
  http = createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

after(async () => {
  api.close();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ code: number; body: any; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(base + path, { method, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ code: res.statusCode!, body: parsed, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('system namespaces exist and list as a table', async () => {
  const r = await call('GET', '/api/v1/namespaces', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  assert.equal(r.code, 200);
  assert.equal(r.body.kind, 'Table');
  assert.deepEqual(r.body.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Status', 'Age']);
  assert.deepEqual(r.body.rows.map((row: { cells: unknown[] }) => row.cells[0]), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
});

test('create, conflict, update, generation, delete', async () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
  const c = await call('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
  assert.equal(c.code, 201, c.text);
  assert.equal(c.body.metadata.generation, 1);
  assert.equal(c.body.spec.replicas, 1);
  const again = await call('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
  assert.equal(again.code, 409);
  assert.equal(again.body.reason, 'AlreadyExists');
  assert.equal(again.body.message, 'deployments.apps "web" already exists');
  const upd = { ...c.body, spec: { ...c.body.spec, replicas: 3 } };
  const u = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', upd);
  assert.equal(u.code, 200, u.text);
  assert.equal(u.body.metadata.generation, 2);
  const stale = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', upd);
  assert.equal(stale.code, 409);
  assert.match(stale.body.message, /the object has been modified/);
  const scale = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
  assert.equal(scale.body.kind, 'Scale');
  assert.equal(scale.body.spec.replicas, 3);
  assert.equal(scale.body.status.selector, 'app=web');
  const d = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/web');
  assert.equal(d.code, 200);
  assert.equal(d.body.status, 'Success');
  const gone = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web');
  assert.equal(gone.code, 404);
  assert.equal(gone.body.message, 'deployments.apps "web" not found');
});

test('watch from a list revision sees later events in order', async () => {
  const list = await call('GET', '/api/v1/namespaces/default/configmaps');
  const rv = list.body.metadata.resourceVersion;
  const events: { type: string; object: { metadata: { name: string } } }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const req = request(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
          if (events.length === 3) {
            req.destroy();
            resolve();
          }
        }
      });
    });
    req.on('error', (e) => (events.length === 3 ? resolve() : reject(e)));
    req.end();
  });
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1' }, data: { a: '1' } };
  const c = await call('POST', '/api/v1/namespaces/default/configmaps', cm);
  await call('PATCH', '/api/v1/namespaces/default/configmaps/w1', { data: { a: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
  await call('DELETE', '/api/v1/namespaces/default/configmaps/w1');
  await done;
  assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  assert.equal(c.code, 201);
});

test('bad input answers with Status', async () => {
  const cases: [string, string, unknown, Record<string, string>, number, string][] = [
    ['POST', '/api/v1/namespaces/default/configmaps', '{bad', {}, 400, 'BadRequest'],
    ['POST', '/api/v1/namespaces/default/configmaps', '{}', { 'Content-Type': 'text/plain' }, 415, 'UnsupportedMediaType'],
    ['GET', '/api/v1/namespaces', undefined, { Accept: 'text/html' }, 406, 'NotAcceptable'],
    ['GET', '/api/v1/nopes', undefined, {}, 404, 'NotFound'],
    ['PUT', '/api/v1/namespaces/default/configmaps', '{}', {}, 405, 'MethodNotAllowed'],
    ['POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'Foo_bar' } }, {}, 422, 'Invalid'],
    ['POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } }, {}, 404, 'NotFound'],
  ];
  for (const [method, path, body, headers, code, reason] of cases) {
    const r = await call(method, path, body, headers);
    assert.equal(r.code, code, `${method} ${path}: ${r.text}`);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, reason, `${method} ${path}`);
  }
});

test('lists and watches before the compacted revision answer 410 Expired', async () => {
  const first = await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'old' } });
  const oldRv = Number(first.body.metadata.resourceVersion);
  // Push the resource's event ring past its capacity so the old revision is gone from the cache.
  for (let i = 0; i < 1100; i++) {
    await call('PATCH', '/api/v1/namespaces/default/configmaps/old', { data: { i: String(i) } }, { 'Content-Type': 'application/merge-patch+json' });
  }
  await api.storage.compact(oldRv + 10);
  const exact = await call('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${oldRv}&resourceVersionMatch=Exact`);
  assert.equal(exact.code, 410);
  assert.equal(exact.body.reason, 'Expired');
  const watch = await call('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${oldRv}`);
  const ev = JSON.parse(watch.text.trim().split('\n')[0]);
  assert.equal(ev.type, 'ERROR');
  assert.equal(ev.object.code, 410);
  assert.equal(ev.object.reason, 'Expired');
  assert.match(ev.object.message, /^too old resource version: \d+ \(\d+\)$/);
});

test('eviction honours the pod disruption budget: 429 when none allowed, then recorded and deleted', async () => {
  const pod = { metadata: { name: 'ev', labels: { app: 'ev' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } };
  assert.equal((await call('POST', '/api/v1/namespaces/default/pods', pod)).code, 201);
  await call('PATCH', '/api/v1/namespaces/default/pods/ev/status', { status: { phase: 'Running' } }, { 'Content-Type': 'application/merge-patch+json' });
  const pdb = await call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { metadata: { name: 'pdb' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'ev' } } } });
  assert.equal(pdb.code, 201, pdb.text);
  const setAllowed = (n: number) =>
    call('PATCH', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb/status', { status: { observedGeneration: 1, disruptionsAllowed: n, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
  await setAllowed(0);
  const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ev', namespace: 'default' } };
  const blocked = await call('POST', '/api/v1/namespaces/default/pods/ev/eviction', eviction);
  assert.equal(blocked.code, 429, blocked.text);
  assert.equal(blocked.body.reason, 'TooManyRequests');
  assert.equal(blocked.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.equal(blocked.body.details.causes[0].reason, 'DisruptionBudget');
  await setAllowed(1);
  const ok = await call('POST', '/api/v1/namespaces/default/pods/ev/eviction', eviction);
  assert.equal(ok.code, 201, ok.text);
  const after = await call('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb');
  assert.equal(after.body.status.disruptionsAllowed, 0);
  assert.ok(after.body.status.disruptedPods.ev);
  const gone = await call('GET', '/api/v1/namespaces/default/pods/ev');
  // Bound pods are deleted gracefully: the pod remains with a deletionTimestamp until its node confirms.
  assert.ok(gone.code === 404 || gone.body.metadata.deletionTimestamp);
});

test('pods/binding assigns a node once', async () => {
  await call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'tobind' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } };
  const r = await call('POST', '/api/v1/namespaces/default/pods/tobind/binding', binding);
  assert.equal(r.code, 201, r.text);
  const pod = await call('GET', '/api/v1/namespaces/default/pods/tobind');
  assert.equal(pod.body.spec.nodeName, 'n1');
  const again = await call('POST', '/api/v1/namespaces/default/pods/tobind/binding', { ...binding, target: { ...binding.target, name: 'n2' } });
  assert.equal(again.code, 409, again.text);
});
