/**
 * The metrics API against a fake kubelet: a small HTTPS server (the external edge the apiserver
 * scrapes) that checks the apiserver's client certificate and answers `/stats/summary`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { startControlPlane } from '../../testing/control-plane.js';
import { Resources } from '../../client/resources.js';
import { createCA, issueCertificate } from '../../api/pki/pki.js';
import { parseRequestPath, type ResourceRequest } from '../request-info.js';
import type { RequestContext } from '../handlers/context.js';
import { StatusError } from '../../api/status.js';
import { ResourceMetricsApi } from './resource-metrics-api.js';
import { cpuQuantity, memoryQuantity } from './quantity.js';

const time = '2027-01-01T00:00:00Z';

function summary(nodeName: string) {
  return {
    node: { nodeName, cpu: { time, usageNanoCores: 250_000_000, usageCoreNanoSeconds: 9e9 }, memory: { time, workingSetBytes: 512 * 1024 * 1024 } },
    pods: [
      { podRef: { name: 'web', namespace: 'default', uid: 'will-be-replaced' }, containers: [{ name: 'app', cpu: { time, usageNanoCores: 1_500_000 }, memory: { time, workingSetBytes: 3 * 1024 * 1024 } }] },
      { podRef: { name: 'db', namespace: 'default', uid: 'x' }, containers: [{ name: 'pg', cpu: { time, usageNanoCores: 7 }, memory: { time, workingSetBytes: 100 } }] },
      { podRef: { name: 'partial', namespace: 'default', uid: 'y' }, containers: [{ name: 'c', cpu: { time }, memory: { time, workingSetBytes: 1 } }] },
    ],
  };
}

function capture(): { res: ServerResponse; out: { code?: number; body?: string } } {
  const out: { code?: number; body?: string } = {};
  const res = {
    headersSent: false,
    destroyed: false,
    writeHead(code: number) {
      out.code = code;
      return res;
    },
    end(body: string) {
      out.body = body;
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

test('metrics.k8s.io nodes and pods from kubelet summaries, cached for the window, with selectors', async () => {
  const ca = await createCA('test-ca');
  const serving = await issueCertificate(ca, { commonName: 'kubelet', sans: ['127.0.0.1'], usage: 'server' });
  const client = await issueCertificate(ca, { commonName: 'kube-apiserver-kubelet-client', usage: 'client' });
  let scrapes = 0;
  const kubelet = createServer({ cert: serving.cert, key: serving.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
    if (req.url !== '/stats/summary' || cn !== 'kube-apiserver-kubelet-client') return void res.writeHead(404).end();
    scrapes++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(summary('real')));
  });
  await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
  const port = (kubelet.address() as AddressInfo).port;
  const cp = await startControlPlane();
  try {
    const c = cp.client();
    for (const [name, sim] of [['real', false], ['sim-1', true]] as const) {
      const node = await c.create(Resources.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { role: name }, annotations: sim ? { 'sim.skiff.io/simulated': 'true' } : {} } });
      node.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: sim ? 1 : port } } };
      await c.updateStatus(Resources.nodes, node);
    }
    const pods: Record<string, string> = {};
    for (const [name, nodeName, app] of [['web', 'real', 'web'], ['db', 'real', 'db'], ['partial', 'real', 'web'], ['simmed', 'sim-1', 'web']]) {
      const p = await c.create(Resources.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app } }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } });
      pods[name] = p.metadata.uid!;
    }
    const api = new ResourceMetricsApi({ clock: cp.clock, log: cp.log, kubeletClient: { cert: client.cert, key: client.key, ca: ca.cert } });
    const call = async (path: string, query = '') => {
      const info = parseRequestPath(path) as ResourceRequest;
      const { res, out } = capture();
      const ctx = { req: { method: 'GET', headers: {} }, res, url: new URL(`https://x${path}?${query}`), query: new URLSearchParams(query), info, resource: cp.api.bound(info.group, info.version, info.resource)!, parts: cp.api } as unknown as RequestContext;
      await api.handle(ctx);
      return { code: out.code, body: JSON.parse(out.body!) };
    };

    const nodes = await call('/apis/metrics.k8s.io/v1beta1/nodes');
    assert.equal(nodes.body.kind, 'NodeMetricsList');
    assert.deepEqual(nodes.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['real'], 'the simulated node has no kubelet to scrape');
    assert.deepEqual(nodes.body.items[0].usage, { cpu: '250m', memory: '512Mi' });
    assert.equal(nodes.body.items[0].timestamp, time);

    const list = await call('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    const names = list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort();
    assert.deepEqual(names, ['db', 'web'], 'pods with incomplete usage or on simulated nodes have no metrics');
    const web = list.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'web');
    assert.equal(web.kind, 'PodMetrics');
    assert.deepEqual(web.metadata.labels, { app: 'web' });
    assert.deepEqual(web.containers, [{ name: 'app', usage: { cpu: '1500u', memory: '3Mi' } }]);

    const selected = await call('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', 'labelSelector=app%3Dweb');
    assert.deepEqual(selected.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['web']);
    const one = await call('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/db');
    assert.equal(one.body.kind, 'PodMetrics');
    assert.equal(one.body.containers[0].usage.cpu, '7n');
    await assert.rejects(call('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/simmed'), (e: unknown) => e instanceof StatusError && e.httpCode === 404 && /pods.metrics.k8s.io "simmed" not found/.test(e.message));
    assert.equal(scrapes, 1, 'requests within the window share one scrape');
    assert.equal(Object.keys(pods).length, 4);
  } finally {
    await cp.close();
    kubelet.close();
    kubelet.closeAllConnections();
  }
});

test('quantities as metrics-server writes them', () => {
  const cpu: [number, string][] = [[0, '0'], [7, '7n'], [1_500_000, '1500u'], [250_000_000, '250m'], [2e9, '2'], [123_456_789, '123456789n']];
  for (const [n, want] of cpu) assert.equal(cpuQuantity(n), want);
  const mem: [number, string][] = [[0, '0'], [100, '100'], [3 * 1024 * 1024, '3Mi'], [1536, '1536'], [2048, '2Ki']];
  for (const [n, want] of mem) assert.equal(memoryQuantity(n), want);
});
