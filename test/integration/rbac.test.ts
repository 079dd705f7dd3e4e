/**
 * Issue 6's RBAC flows with the real kubectl and curl: the workshop's viewer service account,
 * `auth can-i`, anonymous access, an RBAC-limited user's 403 in upstream's words.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
});

async function ok(args: string[]): Promise<string> {
  const r = await server.kubectl(args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function curl(path: string): Promise<{ code: string; body: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sk', '-w', '\n%{http_code}', `${server.url}${path}`], (err, stdout) => {
      if (err) return reject(err);
      const i = stdout.lastIndexOf('\n');
      resolve({ body: stdout.slice(0, i), code: stdout.slice(i + 1) });
    });
  });
}

test('the workshop flow: a viewer service account can list but not delete pods', async () => {
  await ok(['create', 'sa', 'viewer']);
  await ok(['create', 'rolebinding', 'viewercanview', '--clusterrole=view', '--serviceaccount=default:viewer']);
  const as = '--as=system:serviceaccount:default:viewer';
  const yes = await server.kubectl(['auth', 'can-i', 'list', 'pods', as]);
  assert.equal(yes.code, 0, yes.stderr);
  assert.equal(yes.stdout.trim(), 'yes');
  const no = await server.kubectl(['auth', 'can-i', 'delete', 'pods', as]);
  assert.equal(no.code, 1);
  assert.equal(no.stdout.trim(), 'no');
  const list = await ok(['auth', 'can-i', '--list', as]);
  assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/m);
  assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]/m);
  const denied = await server.kubectl(['get', 'secrets', as]);
  assert.equal(denied.code, 1);
  assert.match(
    denied.stderr,
    /Error from server \(Forbidden\): secrets is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "secrets" in API group "" in the namespace "default"/,
  );
});

test('the admin may do everything', async () => {
  const r = await server.kubectl(['auth', 'can-i', '*', '*']);
  assert.equal(r.stdout.trim(), 'yes');
});

test('anonymous requests reach /version and the health checks only', async () => {
  const root = await curl('/');
  assert.equal(root.code, '403');
  assert.equal(JSON.parse(root.body).message, 'forbidden: User "system:anonymous" cannot get path "/"');
  assert.equal((await curl('/version')).code, '200');
  assert.equal((await curl('/healthz')).code, '200');
  const pods = await curl('/api/v1/namespaces/default/pods');
  assert.equal(pods.code, '403');
  assert.equal(JSON.parse(pods.body).message, 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"');
});
