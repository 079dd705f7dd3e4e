/**
 * Cost of RBAC authorization on reads: GET of one ConfigMap as a ServiceAccount whose access
 * comes from one RoleBinding among 1,000 filler Roles and 5,000 filler RoleBindings, against
 * the same GET as system:masters (the admin certificate), same server, same run.
 * Goal: rbac-user req/s ÷ system:masters req/s ≥ 0.9.
 * Needs RBAC wired in `skiff server` and TokenRequest for `kubectl create token`.
 * Run: cd /work/main && npm run build && node dist/bench/authz-cost.js [seconds-per-phase=8]
 */
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:https';
import { keepAliveAgent } from './support/client-tls.js';
import { describe, rate, runClosedLoop, type LoadResult } from './support/closed-loop.js';
import { ensureNamespace } from './support/ensure-namespace.js';
import { expectStatus, send } from './support/http-request.js';
import { startSkiff } from './support/skiff-process.js';

const seconds = Number(process.argv[2] ?? 8);
const clients = 32;
const namespace = 'authz-bench';
const fillerRoles = 1000;
const fillerBindings = 5000;
const target = `/api/v1/namespaces/${namespace}/configmaps/target`;

function getWithToken(agent: Agent, base: URL, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: base.hostname, port: base.port, method: 'GET', path, headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function kubectl(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('kubectl', args, { env: { ...process.env, ...env } }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout))),
  );
}

async function phase(op: () => Promise<void>): Promise<LoadResult> {
  await runClosedLoop({ clients, durationMs: 2000, op });
  return runClosedLoop({ clients, durationMs: seconds * 1000, op });
}

const skiff = await startSkiff();
try {
  const admin = keepAliveAgent(skiff.tls, clients);
  const base = skiff.url;
  await ensureNamespace(admin, base, namespace);
  const post = (path: string, obj: unknown) => send(admin, base, 'POST', path, JSON.stringify(obj));
  expectStatus(await post(`/api/v1/namespaces/${namespace}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' }, data: { k: 'v' } }), 201, 'target configmap');
  expectStatus(await post(`/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader' } }), 201, 'service account');
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}`;
  expectStatus(await post(`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }), 201, 'role');
  expectStatus(await post(`${rbac}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'cm-reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace }] }), 201, 'rolebinding');
  // Fillers: roles and bindings for other subjects, so the authorizer has real data to sift through.
  await runClosedLoop({ clients: 16, total: fillerRoles, op: async (i) => void expectStatus(await post(`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `filler-${i}` }, rules: [{ apiGroups: [''], resources: [`things${i}`], verbs: ['get', 'list'] }] }), 201, 'filler role') });
  await runClosedLoop({
    clients: 16,
    total: fillerBindings,
    op: async (i) =>
      void expectStatus(await post(`${rbac}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `filler-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `filler-${i % fillerRoles}` }, subjects: [{ kind: 'User', name: `user-${i}` }] }), 201, 'filler binding'),
  });
  const token = (await kubectl(skiff.env, ['create', 'token', 'reader', '-n', namespace, '--duration', '1h'])).trim();
  const userAgent = new Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients, ca: skiff.tls.ca });
  const probe = await getWithToken(userAgent, base, target, token);
  if (probe !== 200) throw new Error(`the RBAC-limited user cannot GET the ConfigMap (HTTP ${probe}): is RBAC wired?`);
  const denied = await getWithToken(userAgent, base, `/api/v1/namespaces/${namespace}/secrets`, token);
  if (denied !== 403) throw new Error(`the RBAC-limited user may list secrets (HTTP ${denied}): RBAC is not enforcing`);

  const masters = await phase(async () => void expectStatus(await send(admin, base, 'GET', target), 200, 'admin GET'));
  const limited = await phase(async () => {
    const s = await getWithToken(userAgent, base, target, token);
    if (s !== 200) throw new Error(`rbac GET: HTTP ${s}`);
  });
  const ratio = rate(limited) / rate(masters);
  console.log(`GET as system:masters:        ${describe(masters)}`);
  console.log(`GET as RBAC-limited user:     ${describe(limited)}  (${fillerRoles} roles, ${fillerBindings} bindings in the cluster)`);
  console.log(`ratio rbac/masters: ${ratio.toFixed(2)} (goal ≥ 0.9) ${ratio >= 0.9 ? 'OK' : 'BELOW GOAL'}`);
  userAgent.destroy();
  admin.destroy();
} finally {
  await skiff.stop();
}
