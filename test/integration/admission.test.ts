/**
 * Admission through a real server and the real kubectl: PodSecurity, LimitRanger,
 * ResourceQuota and dynamic admission webhooks (a tiny HTTPS webhook server in this test).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';
import { createCA, issueCertificate } from '../../src/api/pki/pki.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
});

async function run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return server.kubectl(args, { input });
}

async function ok(args: string[], input?: string): Promise<string> {
  const r = await run(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('PodSecurity enforce=restricted refuses a privileged pod with upstream\'s message', async () => {
  await ok(['create', 'namespace', 'secure']);
  await ok(['label', 'namespace', 'secure', 'pod-security.kubernetes.io/enforce=restricted']);
  const r = await run(['run', 'priv', '-n', 'secure', '--image=busybox', '--privileged']);
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    /pods "priv" is forbidden: violates PodSecurity "restricted:latest": privileged \(container "priv" must not set securityContext.privileged=true\), allowPrivilegeEscalation != false \(container "priv" must set securityContext.allowPrivilegeEscalation=false\), unrestricted capabilities/,
  );
  // warn mode: admitted, with kubectl printing the Warning header.
  await ok(['create', 'namespace', 'lenient']);
  await ok(['label', 'namespace', 'lenient', 'pod-security.kubernetes.io/warn=baseline']);
  const w = await run(['run', 'host', '-n', 'lenient', '--image=busybox', '--privileged']);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, /Warning: would violate PodSecurity "baseline:latest": privileged \(container "host" must not set securityContext.privileged=true\)/);
});

test('LimitRange defaults appear on a pod', async () => {
  await ok(['create', 'namespace', 'limits']);
  await ok(['apply', '-n', 'limits', '-f', '-'], JSON.stringify({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'defaults' },
    spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
  }));
  await ok(['run', 'p', '-n', 'limits', '--image=busybox']);
  const res = await ok(['get', 'pod', 'p', '-n', 'limits', '-o', 'jsonpath={.spec.containers[0].resources}']);
  assert.deepEqual(JSON.parse(res), { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
});

test('ResourceQuota pods=2 refuses the third pod', async () => {
  await ok(['create', 'namespace', 'quota']);
  await ok(['create', 'quota', 'q', '-n', 'quota', '--hard=pods=2']);
  await ok(['wait', '-n', 'quota', '--for=jsonpath={.status.used.pods}=0', 'resourcequota/q', '--timeout=60s']);
  await ok(['run', 'a', '-n', 'quota', '--image=busybox']);
  await ok(['run', 'b', '-n', 'quota', '--image=busybox']);
  const r = await run(['run', 'c', '-n', 'quota', '--image=busybox']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2/);
});

async function webhookServer(): Promise<{ server: Server; port: number; caBundle: string }> {
  const ca = await createCA('webhook-ca');
  const serving = await issueCertificate(ca, { commonName: 'webhook', sans: ['127.0.0.1'], usage: 'server' });
  const srv = createServer({ key: serving.key, cert: serving.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { request } = JSON.parse(Buffer.concat(chunks).toString()) as { request: { uid: string; object: { metadata: { labels?: Record<string, string> } } } };
      const labels = request.object.metadata.labels ?? {};
      let response: Record<string, unknown> = { uid: request.uid, allowed: true };
      if (req.url === '/mutate') {
        const patch = [{ op: 'add', path: '/metadata/labels', value: { ...labels, 'webhook-touched': 'true' } }];
        response = { ...response, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') };
      } else if (labels.forbidden === 'yes') {
        response = { uid: request.uid, allowed: false, status: { code: 403, message: 'forbidden label' } };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { server: srv, port: (srv.address() as AddressInfo).port, caBundle: Buffer.from(ca.cert).toString('base64') };
}

test('a mutating webhook adds a label and a validating one denies', async () => {
  const hook = await webhookServer();
  try {
    await ok(['create', 'namespace', 'hooked']);
    await ok(['label', 'namespace', 'hooked', 'webhooks=on']);
    const base = { rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], sideEffects: 'None', admissionReviewVersions: ['v1'], namespaceSelector: { matchLabels: { webhooks: 'on' } } };
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'touch' },
      webhooks: [{ name: 'touch.skiff.test', clientConfig: { url: `https://127.0.0.1:${hook.port}/mutate`, caBundle: hook.caBundle }, ...base }],
    }));
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'deny' },
      webhooks: [{ name: 'deny.skiff.test', clientConfig: { url: `https://127.0.0.1:${hook.port}/validate`, caBundle: hook.caBundle }, ...base }],
    }));
    await ok(['run', 'plain', '-n', 'hooked', '--image=busybox']);
    const labels = await ok(['get', 'pod', 'plain', '-n', 'hooked', '-o', 'jsonpath={.metadata.labels.webhook-touched}']);
    assert.equal(labels, 'true');
    const r = await run(['run', 'nope', '-n', 'hooked', '--image=busybox', '--labels=forbidden=yes']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /admission webhook "deny.skiff.test" denied the request: forbidden label/);
    // Outside the selected namespaces nothing is sent.
    await ok(['run', 'free', '--image=busybox', '--labels=forbidden=yes']);
  } finally {
    await run(['delete', 'mutatingwebhookconfiguration', 'touch', 'validatingwebhookconfiguration', 'deny', '--ignore-not-found']);
    hook.server.close();
    hook.server.closeAllConnections();
  }
});
