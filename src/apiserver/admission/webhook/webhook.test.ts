/** Dynamic admission webhooks against a real HTTPS webhook server, through an in-process ApiServer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../api/object.js';
import { ApiError } from '../../../client/errors.js';
import { Resources, type ResourceRef } from '../../../client/resources.js';
import { startControlPlane } from '../../../testing/control-plane.js';
import { createCA, issueCertificate } from '../../../api/pki/pki.js';
import type { AdmissionAttributes } from '../types.js';
import { rulesMatch, type Webhook } from './matching.js';

const MUTATING: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false };
const VALIDATING: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false };

interface Review {
  request: { uid: string; operation: string; object: KubeObject; dryRun: boolean };
}

async function webhookServer(): Promise<{ server: Server; port: number; caBundle: string; seen: string[] }> {
  const ca = await createCA('webhook-ca');
  const serving = await issueCertificate(ca, { commonName: 'webhook', sans: ['127.0.0.1', 'localhost'], usage: 'server' });
  const seen: string[] = [];
  const server = createServer({ key: serving.key, cert: serving.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString()) as Review;
      const r = review.request;
      seen.push(`${req.url} ${r.operation} ${r.object.metadata.name}`);
      let response: Record<string, unknown> = { uid: r.uid, allowed: true };
      if (req.url === '/mutate') {
        const patch = [{ op: 'add', path: '/metadata/labels', value: { ...(r.object.metadata.labels ?? {}), mutated: 'yes' } }];
        response = { ...response, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64'), warnings: ['labelled by webhook'] };
      } else if (r.object.metadata.labels?.deny === 'true') {
        response = { uid: r.uid, allowed: false, status: { code: 403, message: 'pods labelled deny are not welcome' } };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, caBundle: Buffer.from(ca.cert).toString('base64'), seen };
}

const podRule = [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];

test('a mutating webhook patches, a validating one denies, Ignore skips a dead one', async () => {
  const hook = await webhookServer();
  const cp = await startControlPlane();
  try {
    const c = cp.client();
    const url = (p: string) => `https://127.0.0.1:${hook.port}${p}`;
    await c.create(MUTATING, undefined, {
      metadata: { name: 'labeller' },
      webhooks: [{ name: 'label.example.com', clientConfig: { url: url('/mutate'), caBundle: hook.caBundle }, rules: podRule, sideEffects: 'None', admissionReviewVersions: ['v1'], objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] } }],
    });
    await c.create(VALIDATING, undefined, {
      metadata: { name: 'guard' },
      webhooks: [
        { name: 'deny.example.com', clientConfig: { url: url('/validate'), caBundle: hook.caBundle }, rules: podRule, sideEffects: 'None', admissionReviewVersions: ['v1'] },
        { name: 'dead.example.com', clientConfig: { url: 'https://127.0.0.1:1/x', caBundle: hook.caBundle }, rules: podRule, sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Ignore' },
      ],
    });
    await cp.api.caches.waitFresh();
    const pod = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const created = (await c.create(Resources.pods, 'default', pod('ok', { app: 'a' }))) as KubeObject;
    assert.deepEqual(created.metadata.labels, { app: 'a', mutated: 'yes' });
    const skipped = (await c.create(Resources.pods, 'default', pod('skip', { skip: '1' }))) as KubeObject;
    assert.deepEqual(skipped.metadata.labels, { skip: '1' });
    let denied: ApiError | undefined;
    await c.create(Resources.pods, 'default', pod('bad', { deny: 'true' })).catch((e: ApiError) => (denied = e));
    assert.equal(denied?.status, 403);
    assert.equal(denied?.message, 'admission webhook "deny.example.com" denied the request: pods labelled deny are not welcome');
    assert.ok(hook.seen.includes('/mutate CREATE ok'));
    assert.ok(!hook.seen.includes('/mutate CREATE skip'));
    // A failing webhook with failurePolicy Fail refuses with upstream's wording.
    await c.create(VALIDATING, undefined, {
      metadata: { name: 'strict' },
      webhooks: [{ name: 'down.example.com', clientConfig: { url: 'https://127.0.0.1:1/x', caBundle: hook.caBundle }, rules: podRule, sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Fail' }],
    });
    await cp.api.caches.waitFresh();
    let failed: ApiError | undefined;
    await c.create(Resources.pods, 'default', pod('x', {})).catch((e: ApiError) => (failed = e));
    assert.equal(failed?.status, 500);
    assert.match(failed?.message ?? '', /^Internal error occurred: failed calling webhook "down.example.com": failed to call webhook: Post "https:\/\/127.0.0.1:1\/x": /);
  } finally {
    await cp.close();
    hook.server.close();
    hook.server.closeAllConnections();
  }
});

test('rules match operations, groups, versions, subresources and scope', () => {
  const a = (plural: string, sub?: string, namespaced = true): AdmissionAttributes =>
    ({ operation: 'UPDATE', rt: { group: 'apps', version: 'v1', plural, namespaced }, subresource: sub, user: { name: 'u', groups: [] }, dryRun: false }) as unknown as AdmissionAttributes;
  const w = (resources: string[], extra: Record<string, unknown> = {}): Webhook =>
    ({ name: 'w', clientConfig: {}, rules: [{ operations: ['UPDATE'], apiGroups: ['apps'], apiVersions: ['v1beta1'], resources, ...extra }], ...extra }) as Webhook;
  const table: [Webhook, AdmissionAttributes, boolean][] = [
    [w(['deployments']), a('deployments'), true],
    [w(['deployments']), a('deployments', 'scale'), false],
    [w(['deployments/scale']), a('deployments', 'scale'), true],
    [w(['*/scale']), a('statefulsets', 'scale'), true],
    [w(['*']), a('deployments', 'status'), false],
    [w(['*/*']), a('deployments', 'status'), true],
    [w(['deployments'], { matchPolicy: 'Exact' }), a('deployments'), false],
    [w(['deployments'], { scope: 'Cluster' }), a('deployments'), false],
  ];
  for (const [hook, attrs, want] of table) assert.equal(rulesMatch(hook, attrs), want, JSON.stringify([hook.rules, attrs.subresource]));
});
