/**
 * Hostile input against a real `skiff server`: path tricks, oversized and malformed bodies,
 * forged identities and credentials. Every answer must be a clean client error `Status` (or,
 * where upstream accepts the input, a success that reads back), the server must stay up, and
 * nothing the attacker was not allowed to write may be stored.
 *
 * Cases marked "needs RBAC" skip themselves while the server still authorizes everything.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request as httpsRequest } from 'node:https';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';
import { createCA, issueCertificate, type KeyPairPem } from '../../src/api/pki/pki.js';
import { rawClient, type RawClient, type RawRequest, type RawResponse } from './fuzz-client.js';

let server: TestServer;
let admin: RawClient;
let caPem: string;
let clusterCA: KeyPairPem;

before(async () => {
  // The store must stay still between snapshots: no controllers or schedulers writing leases and defaults.
  server = await startTestServer({ args: ['--disable-controller-manager', '--disable-scheduler'] });
  admin = await rawClient(server.kubeconfig, server.port);
  clusterCA = { cert: await readFile(join(server.dataDir, 'tls', 'server-ca.crt'), 'utf8'), key: await readFile(join(server.dataDir, 'tls', 'server-ca.key'), 'utf8') };
  caPem = clusterCA.cert;
});

after(async () => {
  admin?.close();
  await server?.stop();
});

/** A request with other credentials than the admin's: a client certificate, a bearer token, or none. */
function sendAs(creds: { cert?: string; key?: string; token?: string }, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...r.headers };
    if (creds.token) headers.Authorization = `Bearer ${creds.token}`;
    if (body) headers['Content-Length'] = String(body.length);
    const agent = new Agent({ ca: caPem, cert: creds.cert, key: creds.key, maxCachedSessions: 0 });
    const req = httpsRequest({ host: '127.0.0.1', port: server.port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (e) => {
      agent.destroy();
      reject(e);
    });
    req.end(body);
  });
}

/** The failure must be a well-formed Status with the HTTP code. */
function assertStatus(res: RawResponse, what: string): Record<string, unknown> {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: expected a client error, got ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
  const s = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  assert.equal(s.kind, 'Status', what);
  assert.equal(s.status, 'Failure', what);
  assert.equal(s.code, res.status, what);
  assert.ok(typeof s.reason === 'string' && s.reason !== '', `${what}: Status has a reason`);
  return s;
}

const WATCHED = ['/api/v1/configmaps', '/api/v1/secrets', '/api/v1/pods', '/api/v1/serviceaccounts', '/api/v1/namespaces', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', '/apis/rbac.authorization.k8s.io/v1/rolebindings'];

async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  for (const p of WATCHED) {
    const list = await admin.json('GET', p);
    for (const i of list.items as { metadata: { namespace?: string; name: string; resourceVersion: string } }[]) out.push(`${p} ${i.metadata.namespace ?? ''}/${i.metadata.name}@${i.metadata.resourceVersion}`);
  }
  return out.sort();
}

async function assertAlive(): Promise<void> {
  assert.equal(server.process.exitCode, null, 'server is still running');
  const h = await admin.send({ method: 'GET', path: '/healthz' });
  assert.equal(h.status, 200);
}

const cm = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: 'b' } });
const json = { 'Content-Type': 'application/json', Accept: 'application/json' };

test('path traversal in names, namespaces and subresources is refused', async () => {
  const snap = await snapshot();
  const cases: RawRequest[] = [
    { method: 'GET', path: '/api/v1/namespaces/default/configmaps/..' },
    { method: 'GET', path: '/api/v1/namespaces/default/configmaps/%2e%2e' },
    { method: 'GET', path: '/api/v1/namespaces/default/configmaps/..%2F..%2Fsecrets' },
    { method: 'GET', path: '/api/v1/namespaces/%2e%2e/secrets' },
    { method: 'GET', path: '/api/v1/namespaces/default%2F..%2Fkube-system/secrets' },
    { method: 'GET', path: '/api/v1/namespaces/default/pods/x/%2e%2e/status' },
    { method: 'GET', path: '/api/v1/namespaces/default/pods/x/..%2Fstatus' },
    { method: 'PUT', path: '/api/v1/namespaces/default/configmaps/%2e%2e', headers: json, body: cm('..') },
    { method: 'PUT', path: '/api/v1/namespaces/default/configmaps/a%2Fb', headers: json, body: cm('a/b') },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('..') },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('.') },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('a/../b') },
    { method: 'POST', path: '/api/v1/namespaces/%2e%2e/configmaps', headers: json, body: cm('x') },
    { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/%2e%2e%2fkube-root-ca.crt' },
  ];
  for (const r of cases) assertStatus(await admin.send(r), `${r.method} ${r.path}`);
  await assertAlive();
  assert.deepEqual(await snapshot(), snap);
});

test('a 64 KiB header gets 431 with a Status and the server stays up', async () => {
  const res = await admin.send({ method: 'GET', path: '/api/v1/namespaces', headers: { 'X-Padding': 'a'.repeat(64 * 1024) } });
  assert.equal(res.status, 431);
  assertStatus(res, 'oversized header');
  await assertAlive();
});

test('malformed and hostile bodies get client errors and store nothing', async () => {
  const snap = await snapshot();
  const nested = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":' + '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000) + '}';
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
  const bombDoc = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n    ${bomb.split('\n').join('\n    ')}\n`;
  const badLabels: Record<string, string> = {};
  for (let i = 0; i < 10_000; i++) badLabels[`k${i}`] = 'v';
  badLabels['bad key!'] = 'v';
  const pod = (cpu: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] } });
  const strict = '/api/v1/namespaces/default/configmaps?fieldValidation=Strict';
  const cases: (RawRequest & { code?: number })[] = [
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: nested, code: 400 },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: { 'Content-Type': 'application/yaml' }, body: bombDoc },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('labels', { labels: badLabels }), code: 422 },
    { method: 'POST', path: '/api/v1/namespaces/default/pods', headers: json, body: pod('1e400') },
    { method: 'POST', path: '/api/v1/namespaces/default/pods', headers: json, body: pod('99999999999999999999999Ei') },
    { method: 'POST', path: '/api/v1/namespaces/default/pods', headers: json, body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"q2"},"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":1e400}}}]}}' },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: Buffer.concat([Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('"}}')]) },
    { method: 'GET', path: '/api/v1/namespaces/default/configmaps/%ff%fe' },
    { method: 'PUT', path: '/api/v1/namespaces/default/configmaps/%ff%fe', headers: json, body: cm('\ufffd') },
  ];
  for (const r of cases) {
    const res = await admin.send(r);
    const s = assertStatus(res, `${r.method} ${r.path} ${String(r.body).slice(0, 60)}`);
    if (r.code) assert.equal(res.status, r.code, `${r.path}: ${String(s.message).slice(0, 200)}`);
  }
  await assertAlive();
  assert.deepEqual(await snapshot(), snap);
});

// NOTE: todo until the body decoder reports duplicate fields under fieldValidation=Strict
// (upstream: 400 "strict decoding error: json: duplicate field"); today the last key wins.
test('duplicate keys are refused under fieldValidation=Strict', async () => {
  const strict = '/api/v1/namespaces/default/configmaps?fieldValidation=Strict';
  const snap = await snapshot();
  for (const r of [
    { method: 'POST', path: strict, headers: json, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"}}' },
    { method: 'POST', path: strict, headers: { 'Content-Type': 'application/yaml' }, body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dupy\n  name: dupz\n' },
  ] as RawRequest[]) {
    const res = await admin.send(r);
    assert.equal(res.status, 400, res.body.toString('utf8').slice(0, 200));
    assertStatus(res, 'duplicate keys');
  }
  assert.deepEqual(await snapshot(), snap);
});

test('invalid UTF-8 inside a value is accepted as upstream does, and reads back', async () => {
  const body = Buffer.concat([Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"utf8"},"data":{"k":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
  const res = await admin.send({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body });
  if (res.status >= 400) assertStatus(res, 'invalid UTF-8 value');
  else {
    const got = await admin.json('GET', '/api/v1/namespaces/default/configmaps/utf8');
    assert.equal(typeof got.data.k, 'string');
    await admin.json('DELETE', '/api/v1/namespaces/default/configmaps/utf8');
  }
  await assertAlive();
});

test('10,000 valid labels: answered without a server error, and the object reads back', async () => {
  const labels: Record<string, string> = {};
  for (let i = 0; i < 10_000; i++) labels[`k${i}`] = 'v';
  const res = await admin.send({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('many-labels', { labels }) });
  if (res.status >= 400) assertStatus(res, '10k labels');
  else {
    const got = await admin.json('GET', '/api/v1/namespaces/default/configmaps/many-labels');
    assert.equal(Object.keys(got.metadata.labels).length, 10_000);
    await admin.json('DELETE', '/api/v1/namespaces/default/configmaps/many-labels');
  }
  await assertAlive();
});

async function whoami(creds: { cert?: string; key?: string; token?: string }, headers: Record<string, string> = {}): Promise<RawResponse> {
  return sendAs(creds, { method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', headers: { ...json, ...headers }, body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' });
}

async function adminCreds(): Promise<{ cert: string; key: string }> {
  const kc = await readFile(server.kubeconfig, 'utf8');
  const b64 = (k: string) => Buffer.from(kc.match(new RegExp(`${k}: (\\S+)`))![1], 'base64').toString('utf8');
  return { cert: b64('client-certificate-data'), key: b64('client-key-data') };
}

test('forged in-process identity headers over HTTPS are ignored', async () => {
  const forged = { 'X-Skiff-In-Process-User': 'system:kube-scheduler', 'X-Skiff-In-Process-Groups': 'system:masters' };
  const asAdmin = await whoami(await adminCreds(), forged);
  assert.equal(asAdmin.status, 201, asAdmin.body.toString('utf8'));
  assert.equal(JSON.parse(asAdmin.body.toString('utf8')).status.userInfo.username, 'system:admin');
  const anon = await whoami({}, { ...forged, 'X-Skiff-In-Process-User': 'system:admin' });
  if (anon.status === 201) assert.equal(JSON.parse(anon.body.toString('utf8')).status.userInfo.username, 'system:anonymous');
  else assertStatus(anon, 'anonymous whoami');
  const snap = await snapshot();
  const w = await sendAs({}, { method: 'POST', path: '/api/v1/namespaces/default/secrets', headers: { ...json, ...forged, 'X-Skiff-In-Process-User': 'system:admin' }, body: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"forged"}}' });
  if (await rbacWired()) {
    assertStatus(w, 'forged in-process write');
    assert.deepEqual(await snapshot(), snap);
  }
  await assertAlive();
});

let rbacState: boolean | undefined;
/** RBAC is wired when an unprivileged user is refused a read. */
async function rbacWired(): Promise<boolean> {
  if (rbacState === undefined) {
    const r = await sendAs(await userCert('probe-user'), { method: 'GET', path: '/api/v1/namespaces/kube-system/secrets' });
    rbacState = r.status === 403;
  }
  return rbacState;
}

async function userCert(name: string, groups: string[] = []): Promise<{ cert: string; key: string }> {
  const kp = await issueCertificate(clusterCA, { commonName: name, organizations: groups, usage: 'client' });
  return { cert: kp.cert, key: kp.key };
}

test('impersonation without permission is forbidden (needs RBAC)', async (t) => {
  if (!(await rbacWired())) return t.skip('needs RBAC: the server still authorizes everything');
  const mallory = await userCert('mallory');
  const snap = await snapshot();
  for (const headers of <Record<string, string>[]>[{ 'Impersonate-User': 'system:admin' }, { 'Impersonate-User': 'x', 'Impersonate-Group': 'system:masters' }, { 'Impersonate-Uid': '1', 'Impersonate-User': 'system:admin' }]) {
    const r = await sendAs(mallory, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: { ...json, ...headers }, body: cm('impersonated') });
    assert.equal(r.status, 403, r.body.toString('utf8'));
    assertStatus(r, `impersonation ${JSON.stringify(headers)}`);
  }
  assert.deepEqual(await snapshot(), snap);
});

test('a client certificate from another CA is refused with 401', async () => {
  const otherCA = await createCA('evil-ca');
  const evil = await issueCertificate(otherCA, { commonName: 'system:admin', organizations: ['system:masters'], usage: 'client' });
  const snap = await snapshot();
  for (const r of [
    { method: 'GET', path: '/api/v1/namespaces/kube-system/secrets' },
    { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('evil') },
  ] as RawRequest[]) {
    const res = await sendAs(evil, r);
    assert.equal(res.status, 401, `${r.method} ${r.path}: ${res.body.toString('utf8').slice(0, 200)}`);
    assertStatus(res, 'foreign CA');
  }
  assert.deepEqual(await snapshot(), snap);
});

function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString('base64url');
}

test('expired, tampered and wrong-audience tokens are refused with 401 (needs service account tokens)', async (t) => {
  // This server runs without controllers: make the ServiceAccount the tokens are for.
  await server.kubectl(['create', 'serviceaccount', 'hostile', '-n', 'default']);
  const created = await server.kubectl(['create', 'token', 'hostile', '-n', 'default']);
  if (created.code !== 0) return t.skip(`needs TokenRequest: ${created.stderr.trim()}`);
  const token = created.stdout.trim();
  const ok = await sendAs({ token }, { method: 'GET', path: '/version' });
  assert.equal(ok.status, 200, 'a fresh token authenticates');
  const [h, p, sig] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  const signingKey = await readFile(join(server.dataDir, 'tls', 'service-account.key'), 'utf8');
  const sign = (payload: Record<string, unknown>) => {
    const body = `${h}.${b64url(JSON.stringify(payload))}`;
    return `${body}.${createSign('RSA-SHA256').update(body).sign(signingKey, 'base64url')}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const bad: Record<string, string> = {
    tampered: `${h}.${b64url(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' }))}.${sig}`,
    'bad signature': `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
    expired: sign({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
    'wrong audience': sign({ ...claims, aud: ['https://not-this-cluster.example'] }),
    'not a JWT': 'hello',
  };
  const snap = await snapshot();
  for (const [what, tok] of Object.entries(bad)) {
    for (const r of [{ method: 'GET', path: '/api/v1/namespaces/default/configmaps' }, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: json, body: cm(`tok-${what.replace(/ /g, '-')}`) }] as RawRequest[]) {
      const res = await sendAs({ token: tok }, r);
      assert.equal(res.status, 401, `${what} ${r.method}: ${res.body.toString('utf8').slice(0, 200)}`);
      assertStatus(res, what);
    }
  }
  const wrongAud = await server.kubectl(['create', 'token', 'hostile', '-n', 'default', '--audience', 'https://elsewhere.example']);
  if (wrongAud.code === 0) assert.equal((await sendAs({ token: wrongAud.stdout.trim() }, { method: 'GET', path: '/api/v1/namespaces' })).status, 401);
  assert.deepEqual(await snapshot(), snap);
  await assertAlive();
});
