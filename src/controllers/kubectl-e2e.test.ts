/**
 * The controllers as the real kubectl sees them, against one `skiff server --simulate-nodes 2`:
 * rollout history/undo/pause/resume/restart, events in describe, cascading deletion, and drain
 * against a PodDisruptionBudget.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../base/logger.js';
import { realClock } from '../base/clock.js';
import { ApiClient } from '../client/client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { Resources } from '../client/resources.js';
import { HttpsTransport } from '../client/transport.js';
import { loadKubeconfig } from '../cmd/sim/kubeconfig.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let transport: HttpsTransport;
let client: ApiClient;

before(async () => {
  server = await startTestServer({ args: ['--simulate-nodes', '2'] });
  transport = new HttpsTransport(loadKubeconfig(server.kubeconfig));
  client = new ApiClient(transport, 'kubectl-e2e');
});
after(async () => {
  transport?.close();
  await server?.stop();
});

async function k(...args: string[]): Promise<string> {
  const r = await server.kubectl(args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Bounded polling of a kubectl command until `ok` holds for its stdout. */
async function untilKubectl(args: string[], ok: (out: string) => boolean): Promise<string> {
  let last = '';
  for (let i = 0; i < 300; i++) {
    const r = await server.kubectl(args);
    last = r.stdout + r.stderr;
    if (ok(r.stdout)) return r.stdout;
    await delay(50);
  }
  throw new Error(`timed out: kubectl ${args.join(' ')}: ${last}`);
}

const json = <T>(s: string) => JSON.parse(s) as T;
type List = { items: { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] }; spec?: { nodeName?: string } }[] };

test('rollout history, undo --to-revision, pause/resume and restart', async () => {
  await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await k('rollout', 'status', 'deployment/web', '--timeout=60s');
  // Annotated after the change, as upstream copies the Deployment's annotations to whichever
  // ReplicaSet is current when it syncs (annotating first would label revision 1 too).
  await k('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
  await k('annotate', 'deployment', 'web', 'kubernetes.io/change-cause=update to 1.28');
  assert.match(await k('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
  const history = await k('rollout', 'history', 'deployment/web');
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+update to 1\.28\n/);
  assert.match(await k('rollout', 'history', 'deployment/web', '--revision=1'), /Image:\s+nginx:1\.27/);

  assert.match(await k('rollout', 'undo', 'deployment/web', '--to-revision=1'), /deployment.apps\/web rolled back/);
  await k('rollout', 'status', 'deployment/web', '--timeout=60s');
  assert.equal(await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.27');
  assert.match(await k('rollout', 'history', 'deployment/web'), /\n2\s+update to 1\.28\n3\s+/, 'revision 1 became 3');

  assert.match(await k('rollout', 'pause', 'deployment/web'), /deployment.apps\/web paused/);
  await k('set', 'image', 'deployment/web', 'nginx=nginx:1.29');
  await untilKubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'], (o) => o === 'DeploymentPaused');
  assert.equal((await k('get', 'rs', '-l', 'app=web', '-o', 'name')).trim().split('\n').length, 2, 'no new ReplicaSet while paused');
  assert.match(await k('rollout', 'resume', 'deployment/web'), /deployment.apps\/web resumed/);
  await k('rollout', 'status', 'deployment/web', '--timeout=60s');

  assert.match(await k('rollout', 'restart', 'deployment/web'), /deployment.apps\/web restarted/);
  await k('rollout', 'status', 'deployment/web', '--timeout=60s');
  assert.match(await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations}'), /kubectl.kubernetes.io\/restartedAt/);
  assert.equal(await k('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '5');
});

test('describe shows upstream-reasoned events, repeats counted', async () => {
  const d = await k('describe', 'deployment', 'web');
  assert.match(d, /Normal\s+ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set web-[a-z0-9]+ (to|from)/);
  const pod = json<List>(await k('get', 'pods', '-l', 'app=web', '-o', 'json')).items[0];
  const p = await k('describe', 'pod', pod.metadata.name);
  assert.match(p, new RegExp(`Normal\\s+Scheduled\\s+.*default-scheduler\\s+Successfully assigned default/${pod.metadata.name} to sim-\\d`));

  // The same event three times becomes one Event with count 3.
  const deployment = await client.get(Resources.deployments, 'default', 'web');
  const recorder = new EventRecorder(client, realClock, silentLogger, 'e2e-test');
  for (let n = 1; n <= 3; n++) {
    recorder.event(deployment, 'Warning', 'Repeated', 'the same thing again');
    await untilKubectl(['get', 'events', '--field-selector', 'reason=Repeated', '-o', 'jsonpath={.items[*].count}'], (o) => o === String(n));
  }
  assert.match(await k('describe', 'deployment', 'web'), /Warning\s+Repeated\s+\S+ \(x3 over \S+\)\s+e2e-test\s+the same thing again/);
});

test('cascading deletion: orphan, foreground, background, namespace', async () => {
  for (const name of ['gc-orphan', 'gc-fg', 'gc-bg']) {
    await k('create', 'deployment', name, '--image=nginx:1.27', '--replicas=2');
    await k('rollout', 'status', `deployment/${name}`, '--timeout=60s');
  }
  await k('delete', 'deployment', 'gc-orphan', '--cascade=orphan');
  const rs = json<List>(await untilKubectl(['get', 'rs', '-l', 'app=gc-orphan', '-o', 'json'], (o) => json<List>(o).items.every((r) => !r.metadata.ownerReferences?.length)));
  assert.equal(rs.items.length, 1, 'orphaned ReplicaSet kept');
  const pods = json<List>(await k('get', 'pods', '-l', 'app=gc-orphan', '-o', 'json')).items;
  assert.equal(pods.length, 2, 'its pods kept');
  for (const p of pods) assert.deepEqual(p.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`), [`ReplicaSet/${rs.items[0].metadata.name}`]);

  // Foreground: kubectl waits for the Deployment, which goes only after its dependents.
  await k('delete', 'deployment', 'gc-fg', '--cascade=foreground', '--timeout=60s');
  assert.equal((await k('get', 'rs', '-l', 'app=gc-fg', '-o', 'name')).trim(), '');
  await untilKubectl(['get', 'pods', '-l', 'app=gc-fg', '-o', 'name'], (o) => o.trim() === '');

  await k('delete', 'deployment', 'gc-bg');
  await untilKubectl(['get', 'rs,pods', '-l', 'app=gc-bg', '-o', 'name'], (o) => o.trim() === '');

  await k('create', 'namespace', 'doomed');
  await k('-n', 'doomed', 'create', 'deployment', 'app', '--image=nginx:1.27', '--replicas=2');
  await k('-n', 'doomed', 'rollout', 'status', 'deployment/app', '--timeout=60s');
  await k('delete', 'namespace', 'doomed', '--timeout=60s');
  const gone = await server.kubectl(['get', 'namespace', 'doomed']);
  assert.match(gone.stderr, /namespaces "doomed" not found/);
  assert.equal((await k('get', 'pods,rs,deployments', '-n', 'doomed', '-o', 'name')).trim(), '');
});

test('drain is blocked by a PodDisruptionBudget until the Deployment scales up', async () => {
  await k('create', 'deployment', 'guarded', '--image=nginx:1.27', '--replicas=2');
  await k('rollout', 'status', 'deployment/guarded', '--timeout=60s');
  await k('create', 'poddisruptionbudget', 'guarded', '--selector=app=guarded', '--min-available=2');
  await untilKubectl(['get', 'pdb', 'guarded', '-o', 'jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}'], (o) => o === '2/0');
  const node = json<List>(await k('get', 'pods', '-l', 'app=guarded', '-o', 'json')).items[0].spec!.nodeName!;

  const blocked = await server.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=3s']);
  assert.notEqual(blocked.code, 0);
  assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget/);
  assert.match(blocked.stderr, /will retry after 5s/);
  assert.match(await k('get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'), /true/, 'cordoned');

  await k('scale', 'deployment', 'guarded', '--replicas=3');
  await untilKubectl(['get', 'pdb', 'guarded', '-o', 'jsonpath={.status.disruptionsAllowed}'], (o) => o === '1');
  const drained = await server.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
  assert.equal(drained.code, 0, drained.stderr);
  assert.match(drained.stdout, new RegExp(`node/${node} drained`));
  const left = json<List>(await k('get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'json')).items;
  assert.deepEqual(left.map((p) => p.metadata.name), [], 'nothing left on the drained node');
  await k('rollout', 'status', 'deployment/guarded', '--timeout=60s');
  await k('uncordon', node);
});
