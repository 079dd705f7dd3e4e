/**
 * Issue 3's acceptance flows: a real server with simulated nodes, driven by the real kubectl.
 * Every wait is kubectl's own (`rollout status --timeout`, `wait --timeout`).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer({ args: ['--simulate-nodes', '3'] });
  const nodes = await server.kubectl(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=60s']);
  assert.equal(nodes.code, 0, nodes.stderr);
});

after(async () => {
  await server?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('a Deployment of 10 rolls to a new image and back with rollout undo', async () => {
  await ok(['create', 'deployment', 'web', '--image=busybox:1', '--replicas=10', '--', 'sleep', '3600']);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
  await ok(['set', 'image', 'deployment/web', 'busybox=busybox:2']);
  const status = await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
  assert.match(status, /deployment "web" successfully rolled out/);
  const images = await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
  const running = images.split(' ').filter(Boolean);
  assert.equal(running.filter((i) => i === 'busybox:2').length, 10, images);
  const history = await ok(['rollout', 'history', 'deployment/web']);
  assert.match(history, /^1\s/m);
  assert.match(history, /^2\s/m);
  await ok(['rollout', 'undo', 'deployment/web']);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
  const image = await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
  assert.equal(image, 'busybox:1');
  const rs = await ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.replicas}{" "}{end}']);
  assert.deepEqual(rs.trim().split(' ').map(Number).sort((a, b) => a - b), [0, 10]);
});

test('a DaemonSet runs one pod on every untainted node', async () => {
  await ok(['taint', 'node', 'sim-2', 'dedicated=x:NoSchedule']);
  await ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } } },
  }));
  await ok(['rollout', 'status', 'daemonset/agent', '--timeout=120s']);
  const nodes = await ok(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.nodeName}']);
  assert.deepEqual(nodes.split(' ').filter(Boolean).sort(), ['sim-0', 'sim-1']);
  await ok(['taint', 'node', 'sim-2', 'dedicated-']);
});

test('a StatefulSet of 3 starts in order and scales down in reverse', async () => {
  await ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 3,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'd', image: 'busybox' }] } },
    },
  }));
  await ok(['rollout', 'status', 'statefulset/db', '--timeout=120s']);
  const created = await ok(['get', 'pods', '-l', 'app=db', '--sort-by=.metadata.creationTimestamp', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"="}{.metadata.creationTimestamp}{" "}{end}']);
  const order = created.trim().split(' ').map((s) => s.split('='));
  assert.deepEqual(order.map((o) => o[0]), ['db-0', 'db-1', 'db-2']);
  await ok(['scale', 'statefulset', 'db', '--replicas=1']);
  await ok(['wait', '--for=delete', 'pod/db-2', 'pod/db-1', '--timeout=120s']);
  const left = await ok(['get', 'pods', '-l', 'app=db', '-o', 'name']);
  assert.equal(left.trim(), 'pod/db-0');
  const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=db,reason=SuccessfulDelete', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  const deleted = [...events.matchAll(/Pod (db-\d)/g)].map((m) => m[1]);
  assert.deepEqual(deleted, ['db-2', 'db-1']);
});

test('a Job with completions 5 and parallelism 2 completes', async () => {
  await ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'batch' },
    spec: {
      completions: 5,
      parallelism: 2,
      template: { metadata: { annotations: { 'sim.skiff.io/complete-after': '1s' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'busybox' }] } },
    },
  }));
  await ok(['wait', '--for=condition=Complete', 'job/batch', '--timeout=120s']);
  assert.equal(await ok(['get', 'job', 'batch', '-o', 'jsonpath={.status.succeeded}']), '5');
});

test('kubectl drain evicts pods and cordons the node', async () => {
  await ok(['create', 'deployment', 'drainme', '--image=busybox', '--replicas=3']);
  await ok(['rollout', 'status', 'deployment/drainme', '--timeout=120s']);
  const out = await ok(['drain', 'sim-0', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=120s']);
  assert.match(out, /node\/sim-0 (cordoned|already cordoned)/);
  assert.match(out, /node\/sim-0 drained/);
  const unsched = await ok(['get', 'node', 'sim-0', '-o', 'jsonpath={.spec.unschedulable}']);
  assert.equal(unsched, 'true');
  const onNode = await ok(['get', 'pods', '-l', 'app=drainme', '--field-selector', 'spec.nodeName=sim-0', '-o', 'name']);
  assert.equal(onNode.trim(), '');
  await ok(['uncordon', 'sim-0']);
});

test('a CronJob every minute creates Jobs, and kubectl create job --from=cronjob works', async () => {
  await ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *', '--', 'true']);
  await ok(['create', 'job', 'manual', '--from=cronjob/tick']);
  const manual = await ok(['get', 'job', 'manual', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}']);
  assert.equal(manual, 'manual');
  // The controller creates `tick-<minutes since epoch>` at the next minute boundary.
  const watch = await server.kubectl(['wait', '--for=jsonpath={.status.active[0].kind}=Job', 'cronjob/tick', '--timeout=90s']);
  assert.equal(watch.code, 0, watch.stdout + watch.stderr);
  const jobs = await ok(['get', 'jobs', '-o', 'name']);
  assert.match(jobs, /job\.batch\/tick-\d+/);
});
