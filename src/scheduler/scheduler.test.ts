import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { EventRecorder } from '../client/event-recorder.js';
import { Resources } from '../client/resources.js';
import type { ApiClient } from '../client/client.js';
import type { KubeObject } from '../api/object.js';
import { realClock } from '../base/clock.js';
import { Scheduler } from './scheduler.js';
import type { Pod } from './framework/api-types.js';

function node(name: string, cpu: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: {
      capacity: { cpu, memory: '8Gi', pods: '110' },
      allocatable: { cpu, memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
    ...extra,
  };
}

function pod(name: string, cpu: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], ...spec },
  };
}

/** Polls the API until `check` returns a value (bounded number of short waits). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function nodeOf(client: ApiClient, name: string): Promise<string | undefined> {
  const p = await client.get<Pod>(Resources.pods, 'default', name);
  return p.spec.nodeName || undefined;
}

async function withScheduler(fn: (cp: TestControlPlane, client: ApiClient) => Promise<void>): Promise<void> {
  const cp = await startControlPlane();
  const client = cp.client('default-scheduler');
  const informers = cp.informers(client);
  const recorder = new EventRecorder(client, realClock, cp.log, 'default-scheduler');
  const sched = new Scheduler({ client, informers, clock: realClock, log: cp.log, recorder });
  const ac = new AbortController();
  const done = sched.run(ac.signal);
  try {
    await fn(cp, cp.client('test'));
  } finally {
    ac.abort();
    await done;
    await cp.close();
  }
}

async function eventsFor(client: ApiClient, podName: string, reason: string): Promise<KubeObject[]> {
  const list = await client.list(Resources.events, 'default');
  return list.items.filter((e) => (e.involvedObject as { name: string }).name === podName && e.reason === reason);
}

test('pods are bound respecting cpu requests; unschedulable pod reports and later schedules', async () => {
  await withScheduler(async (_cp, client) => {
    for (const n of ['node-1', 'node-2', 'node-3']) await client.create(Resources.nodes, undefined, node(n, '2'));
    // Three 1.5-cpu pods: one per node.
    for (const p of ['web-1', 'web-2', 'web-3']) await client.create(Resources.pods, 'default', pod(p, '1500m'));
    const placed = new Set<string>();
    for (const p of ['web-1', 'web-2', 'web-3']) placed.add(await eventually(() => nodeOf(client, p), `${p} bound`));
    assert.equal(placed.size, 3);

    const scheduled = await eventually(async () => (await eventsFor(client, 'web-1', 'Scheduled'))[0], 'Scheduled event');
    assert.match(scheduled.message as string, /^Successfully assigned default\/web-1 to node-\d$/);

    await client.create(Resources.pods, 'default', pod('big', '1'));
    const ev = await eventually(async () => (await eventsFor(client, 'big', 'FailedScheduling'))[0], 'FailedScheduling');
    assert.equal(ev.type, 'Warning');
    assert.equal(
      ev.message,
      // Upstream really ends with two periods: the preemption message is itself a FitError message.
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
    );
    const cond = await eventually(async () => {
      const p = await client.get<Pod>(Resources.pods, 'default', 'big');
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    }, 'PodScheduled condition');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, ev.message);

    await client.create(Resources.nodes, undefined, node('node-4', '2'));
    assert.equal(await eventually(() => nodeOf(client, 'big'), 'big bound after node add'), 'node-4');
  });
});

test('a higher-priority pod preempts a lower-priority one', async () => {
  await withScheduler(async (_cp, client) => {
    await client.create(Resources.priorityclasses, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    await client.create(Resources.nodes, undefined, node('node-1', '2'));
    await client.create(Resources.pods, 'default', pod('low', '1500m'));
    await eventually(() => nodeOf(client, 'low'), 'low bound');
    await client.create(Resources.pods, 'default', pod('high', '1500m', { priorityClassName: 'high' }));
    const nominated = await eventually(async () => {
      const p = await client.get<Pod>(Resources.pods, 'default', 'high');
      return p.status?.nominatedNodeName || undefined;
    }, 'nominatedNodeName');
    assert.equal(nominated, 'node-1');
    // The victim is gone (no kubelet here, so deletion is immediate or graceful; wait for either).
    await eventually(async () => {
      try {
        const low = await client.get<Pod>(Resources.pods, 'default', 'low');
        if (low.metadata.deletionTimestamp) {
          await client.delete(Resources.pods, 'default', 'low', { gracePeriodSeconds: 0 });
        }
        const cond = low.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
        return cond?.reason === 'PreemptionByScheduler' ? undefined : undefined;
      } catch {
        return true;
      }
    }, 'victim deleted');
    assert.equal(await eventually(() => nodeOf(client, 'high'), 'high bound'), 'node-1');
    const preempted = await eventually(async () => (await eventsFor(client, 'low', 'Preempted'))[0], 'Preempted event');
    assert.match(preempted.message as string, /^Preempted by pod .+ on node node-1$/);
  });
});

test('pods for another scheduler are left alone', async () => {
  await withScheduler(async (_cp, client) => {
    await client.create(Resources.nodes, undefined, node('node-1', '2'));
    await client.create(Resources.pods, 'default', pod('other', '100m', { schedulerName: 'my-scheduler' }));
    await client.create(Resources.pods, 'default', pod('mine', '100m'));
    assert.equal(await eventually(() => nodeOf(client, 'mine'), 'mine bound'), 'node-1');
    assert.equal(await nodeOf(client, 'other'), undefined);
  });
});
