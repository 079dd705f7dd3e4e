/**
 * Golden tests against bodies the real kubectl sends: a throwaway HTTPS listener records each
 * protobuf request body and fails the request, so kubectl never needs a real server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCA, issueCertificate } from '../pki/pki.js';
import { decodeKubernetesProtobuf } from './decode.js';

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Captured {
  path: string;
  contentType: string;
  body: Buffer;
}

let server: Server;
let dir: string;
let captured: Captured[] = [];

before(async () => {
  if (!hasKubectl) return;
  dir = await mkdtemp(join(tmpdir(), 'skiff-protobuf-'));
  const ca = await createCA('protobuf-capture');
  const serving = await issueCertificate(ca, { commonName: 'capture', sans: ['127.0.0.1'], usage: 'server' });
  server = createServer({ cert: serving.cert, key: serving.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') captured.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'captured', code: 500 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: u, user: {token: t}}]',
    'contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]',
    'current-context: x',
  ].join('\n');
  await writeFile(join(dir, 'kubeconfig'), kubeconfig);
});

after(async () => {
  if (!hasKubectl) return;
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Runs kubectl and returns the body of the one POST it sent. */
async function capture(args: string[]): Promise<Captured> {
  captured = [];
  await new Promise<void>((resolve) => {
    execFile('kubectl', args, { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache'), HOME: dir } }, () => resolve());
  });
  assert.equal(captured.length, 1, `kubectl ${args.join(' ')} sent ${captured.length} POSTs`);
  const [request] = captured;
  assert.equal(request.contentType, 'application/vnd.kubernetes.protobuf');
  return request;
}

const skip = !hasKubectl && 'kubectl is not on PATH';

test('kubectl create deployment with a command', { skip }, async () => {
  const { body, path } = await capture(['create', 'deployment', 'web', '--image=nginx', '--', 'sleep', '1']);
  assert.match(path, /^\/apis\/apps\/v1\/namespaces\/default\/deployments\?/);
  const { apiVersion, kind, object } = decodeKubernetesProtobuf(body);
  assert.equal(apiVersion, 'apps/v1');
  assert.equal(kind, 'Deployment');
  // The same object `kubectl create deployment ... --dry-run=client -o json` prints.
  assert.deepEqual(object, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', command: ['sleep', '1'], resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
});

test('kubectl create secret generic', { skip }, async () => {
  const { body } = await capture(['create', 'secret', 'generic', 's', '--from-literal=a=b']);
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', creationTimestamp: null },
    data: { a: 'Yg==' },
  });
});

test('kubectl create namespace', { skip }, async () => {
  const { body } = await capture(['create', 'namespace', 'team-a']);
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-a', creationTimestamp: null },
    spec: {},
    status: {},
  });
});

test('kubectl create configmap', { skip }, async () => {
  const { body } = await capture(['create', 'configmap', 'cm', '--from-literal=k=v', '--from-literal=empty=']);
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', creationTimestamp: null },
    data: { k: 'v', empty: '' },
  });
});

test('kubectl create service nodeport keeps targetPort a number', { skip }, async () => {
  const { body } = await capture(['create', 'service', 'nodeport', 'x', '--tcp=80:8080']);
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'x', creationTimestamp: null, labels: { app: 'x' } },
    spec: {
      ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }],
      selector: { app: 'x' },
      type: 'NodePort',
    },
    status: { loadBalancer: {} },
  });
});

test('kubectl auth can-i sends a SelfSubjectAccessReview', { skip }, async () => {
  const { body, path } = await capture(['auth', 'can-i', 'list', 'pods']);
  assert.equal(path, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
    status: { allowed: false },
  });
});

test('kubectl create ingress inlines IngressRuleValue as Go JSON does', { skip }, async () => {
  const { body } = await capture(['create', 'ingress', 'ing', '--rule=foo.com/bar=svc:80']);
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'ing', creationTimestamp: null },
    spec: {
      rules: [{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc', port: { number: 80 } } } }] } }],
    },
    status: { loadBalancer: {} },
  });
});
