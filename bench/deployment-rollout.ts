/**
 * A Deployment of 1,000 replicas on 100 simulated nodes (`skiff server --simulate-nodes 100`,
 * nodes in the server process): seconds from the Deployment create to status.availableReplicas
 * == 1000, observed by a watch on the Deployment. Every piece runs: Deployment → ReplicaSet
 * controllers, the scheduler, the simulated nodes' pod status writes, and the controllers'
 * status updates.
 * Reference, same server, same run, first: the raw create of 1,000 pods of the same shape over
 * HTTPS (64 clients) with `schedulerName: bench-nobody`, so nothing else touches them.
 * Run: cd /work/main && npm run build && node dist/bench/deployment-rollout.js [replicas=1000] [nodes=100]
 */
import { performance } from 'node:perf_hooks';
import { keepAliveAgent } from './support/client-tls.js';
import { runClosedLoop } from './support/closed-loop.js';
import { ensureNamespace } from './support/ensure-namespace.js';
import { expectStatus, send } from './support/http-request.js';
import { waitForReadyNodes } from './support/nodes-ready.js';
import { until, watchObjects } from './support/object-watch.js';
import { ensureDefaultServiceAccount } from './support/service-account.js';
import { podJson, podObject } from './support/pods.js';
import { startSkiff } from './support/skiff-process.js';

const replicas = Number(process.argv[2] ?? 1000);
const nodes = Number(process.argv[3] ?? 100);
const clients = 64;

function deploymentJson(namespace: string, name: string): string {
  const pod = podObject(namespace, '', {}) as { spec: unknown };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: pod.spec } },
  });
}

console.log(`deployment-rollout: a Deployment of ${replicas} replicas on ${nodes} simulated nodes`);
const skiff = await startSkiff({ args: ['--simulate-nodes', String(nodes)] });
const agent = keepAliveAgent(skiff.tls, clients + 2);
try {
  await waitForReadyNodes(agent, skiff.url, nodes);
  await ensureNamespace(agent, skiff.url, 'raw');
  await ensureDefaultServiceAccount(agent, skiff.url, 'raw');
  await ensureNamespace(agent, skiff.url, 'deploy');
  await ensureDefaultServiceAccount(agent, skiff.url, 'deploy');

  const raw = await runClosedLoop({
    clients,
    total: replicas,
    op: async (i) => void expectStatus(await send(agent, skiff.url, 'POST', '/api/v1/namespaces/raw/pods', podJson('raw', `pod-${i}`, { schedulerName: 'bench-nobody' })), 201, 'create pod'),
  });

  let available = 0;
  const done = until(() => available >= replicas);
  const watch = await watchObjects(agent, skiff.url, '/apis/apps/v1/namespaces/deploy/deployments?watch=1', (_type, d) => {
    available = Number((d.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0);
    done.check();
  });
  const start = performance.now();
  expectStatus(await send(agent, skiff.url, 'POST', '/apis/apps/v1/namespaces/deploy/deployments', deploymentJson('deploy', 'web')), 201, 'create deployment');
  await done.reached;
  const seconds = (performance.now() - start) / 1000;
  watch.close();

  console.log(`  raw create of ${replicas} pods (64 clients): ${raw.seconds.toFixed(2)} s (${Math.round(raw.count / raw.seconds)} pods/s)`);
  console.log(`  deployment create → ${replicas} available:    ${seconds.toFixed(2)} s (${Math.round(replicas / seconds)} pods/s)`);
  console.log(`  deployment / raw create:                 ${(seconds / raw.seconds).toFixed(2)}x the time`);
} finally {
  agent.destroy();
  await skiff.stop();
}
