import { setMaxListeners } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { ResourceQuotaController } from './resource-quota-controller.js';
import { podUsage } from './usage.js';

test('pod usage: requests, limits and terminal pods', () => {
  const pod = (phase: string, cpu: string[]): KubeObject => ({
    metadata: { name: 'p' },
    spec: { containers: cpu.map((c, i) => ({ name: `c${i}`, resources: { requests: { cpu: c, memory: '64Mi' }, limits: { cpu: c } } })) },
    status: { phase },
  });
  const cases: { name: string; pod: KubeObject; expect: Record<string, string | undefined> }[] = [
    { name: 'running', pod: pod('Running', ['250m', '250m']), expect: { pods: '1', 'count/pods': '1', 'requests.cpu': '500m', cpu: '500m', 'limits.cpu': '500m', 'requests.memory': '128Mi' } },
    { name: 'succeeded', pod: pod('Succeeded', ['1']), expect: { pods: undefined, 'count/pods': '1', 'requests.cpu': undefined } },
  ];
  for (const c of cases) {
    const u = podUsage(c.pod, Date.UTC(2026, 0, 1));
    for (const [k, v] of Object.entries(c.expect)) assert.equal(u.get(k)?.toString(), v, `${c.name}: ${k}`);
  }
});

test('quota status counts pods and cpu requests in its namespace', async () => {
  const cp = await startControlPlane();
  const client = cp.client('resourcequota-controller');
  const informers = cp.informers(client);
  const ctx: ControllerContext = { client, informers, clock: cp.clock, log: cp.log, recorder: (c) => new EventRecorder(client, cp.clock, cp.log, c), config: defaultControllerConfig };
  const ctrl = new ResourceQuotaController(ctx);
  const ac = new AbortController();
  setMaxListeners(50, ac.signal);
  informers.start(ac.signal);
  const done = ctrl.run(ac.signal);
  try {
    await client.create(Resources.resourcequotas, 'default', { metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'count/configmaps': '5' } } });
    for (const [n, cpu] of [['a', '500m'], ['b', '1']]) {
      await client.create(Resources.pods, 'default', { metadata: { name: n }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] } });
    }
    let used: Record<string, string> | undefined;
    for (let i = 0; i < 400; i++) {
      const q = await client.get<KubeObject & { status?: { used?: Record<string, string>; hard?: Record<string, string> } }>(Resources.resourcequotas, 'default', 'q');
      used = q.status?.used;
      if (used?.pods === '2' && used['requests.cpu'] === '1500m') {
        assert.deepEqual(q.status?.hard, { pods: '10', 'requests.cpu': '4', 'count/configmaps': '5' });
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(used?.pods, '2');
    assert.equal(used?.['requests.cpu'], '1500m');
    assert.ok(used?.['count/configmaps'] !== undefined);
  } finally {
    ac.abort();
    await done;
    await cp.close();
  }
});
