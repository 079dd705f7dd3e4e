import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as tick } from 'node:timers/promises';
import type { KubeObject } from '../../api/object.js';
import { FakeClock, type Clock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { startControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { JobController } from './job-controller.js';
import { JOB_TRACKING_FINALIZER } from './tracking-finalizer.js';
import { formatIndexes, parseIndexes } from './completion-index.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { PodBackoffStore, remainingBackoff } from './pod-backoff.js';

interface Harness {
  cp: TestControlPlane;
  clock: Clock;
  client: ReturnType<TestControlPlane['client']>;
  stop(): Promise<void>;
}

async function startJobController(clock: Clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'))): Promise<Harness> {
  const cp = await startControlPlane({ clock });
  const client = cp.client('job-controller');
  const informers = cp.informers(client);
  const ctx: ControllerContext = {
    client,
    informers,
    clock,
    log: silentLogger,
    recorder: (c) => new EventRecorder(client, clock, silentLogger, c),
    config: defaultControllerConfig,
  };
  const ctrl = new JobController(ctx);
  const ac = new AbortController();
  informers.start(ac.signal);
  const done = ctrl.run(ac.signal);
  return {
    cp,
    clock,
    client,
    stop: async () => {
      ac.abort();
      await done;
      await cp.close();
    },
  };
}

/** Polls `fn` until it returns a value (bounded number of short waits). */
async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    await tick(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function jobManifest(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
    },
  };
}

async function podsOf(h: Harness, job: string): Promise<KubeObject[]> {
  return (await h.client.list(Resources.pods, 'default', { labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
}

const isActive = (p: KubeObject) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes((p.status as { phase?: string } | undefined)?.phase ?? '');

/** The test plays the kubelet: the pod's container exits with `exitCode`. */
async function finishPod(h: Harness, pod: KubeObject, exitCode: number): Promise<void> {
  const fresh = await h.client.get(Resources.pods, 'default', pod.metadata.name!);
  const now = rfc3339(h.clock.now());
  fresh.status = {
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }],
    containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } } }],
  };
  await h.client.updateStatus(Resources.pods, fresh);
}

async function getJob(h: Harness, name: string): Promise<KubeObject> {
  return h.client.get(Resources.jobs, 'default', name);
}

const conditionTypes = (job: KubeObject) => ((job.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);

test('completions 5, parallelism 2: never more than 2 active, then Complete', async () => {
  const h = await startJobController();
  try {
    await h.client.create(Resources.jobs, 'default', jobManifest('work', { completions: 5, parallelism: 2 }));
    let finished = 0;
    while (finished < 5) {
      const active = await waitFor('2 active pods', async () => {
        const pods = (await podsOf(h, 'work')).filter(isActive);
        assert.ok(pods.length <= 2, `at most 2 active pods, saw ${pods.length}`);
        return pods.length === Math.min(2, 5 - finished) ? pods : undefined;
      });
      for (const p of active) {
        assert.ok(p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER));
        assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'Job');
      }
      await finishPod(h, active[0]!, 0);
      finished++;
    }
    const job = await waitFor('Complete', async () => {
      const j = await getJob(h, 'work');
      return conditionTypes(j).includes('Complete') ? j : undefined;
    });
    const status = job.status as Record<string, unknown>;
    assert.deepEqual(conditionTypes(job), ['SuccessCriteriaMet', 'Complete']);
    assert.equal(status.succeeded, 5);
    assert.equal(status.active, undefined);
    assert.deepEqual(status.uncountedTerminatedPods, {});
    assert.ok(status.completionTime);
    // Counted pods lose the tracking finalizer.
    await waitFor('finalizers removed', async () => (await podsOf(h, 'work')).every((p) => !p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)));
    const events = (await h.client.list(Resources.events, 'default')).items.map((e) => e.reason as string);
    assert.equal(events.filter((r) => r === 'SuccessfulCreate').length, 5);
    await waitFor('Completed event', async () => (await h.client.list(Resources.events, 'default')).items.some((e) => e.reason === 'Completed'));
  } finally {
    await h.stop();
  }
});

test('backoffLimit 1: two failures fail the job after the backoff delay', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const h = await startJobController(clock);
  try {
    await h.client.create(Resources.jobs, 'default', jobManifest('flaky', { backoffLimit: 1 }));
    const first = await waitFor('first pod', async () => (await podsOf(h, 'flaky')).filter(isActive)[0]);
    await finishPod(h, first, 1);
    await waitFor('failure counted', async () => ((await getJob(h, 'flaky')).status as { failed?: number }).failed === 1);
    // The replacement waits out the 10s backoff.
    assert.equal((await podsOf(h, 'flaky')).filter(isActive).length, 0);
    clock.advance(10_500);
    const second = await waitFor('replacement pod', async () => (await podsOf(h, 'flaky')).filter(isActive)[0]);
    await finishPod(h, second, 1);
    const job = await waitFor('Failed', async () => {
      const j = await getJob(h, 'flaky');
      return conditionTypes(j).includes('Failed') ? j : undefined;
    });
    const failed = (job.status as { conditions: { type: string; reason?: string; message?: string }[] }).conditions.find((c) => c.type === 'Failed')!;
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.deepEqual(conditionTypes(job), ['FailureTarget', 'Failed']);
    assert.equal((job.status as { failed?: number }).failed, 2);
  } finally {
    await h.stop();
  }
});

test('Indexed job completes indexes 0..n-1', async () => {
  const h = await startJobController();
  try {
    await h.client.create(Resources.jobs, 'default', jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitFor('3 pods', async () => {
      const p = (await podsOf(h, 'idx')).filter(isActive);
      return p.length === 3 ? p : undefined;
    });
    const indexes = pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(indexes, ['0', '1', '2']);
    for (const p of pods) {
      const ix = p.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal((p.spec as { hostname?: string }).hostname, `idx-${ix}`);
      assert.ok(p.metadata.name!.startsWith(`idx-${ix}-`));
      const env = (p.spec as { containers: { env?: { name: string }[] }[] }).containers[0]!.env ?? [];
      assert.ok(env.some((e) => e.name === 'JOB_COMPLETION_INDEX'));
    }
    for (const p of pods) await finishPod(h, p, 0);
    const job = await waitFor('Complete', async () => {
      const j = await getJob(h, 'idx');
      return conditionTypes(j).includes('Complete') ? j : undefined;
    });
    assert.equal((job.status as { completedIndexes?: string }).completedIndexes, '0-2');
    assert.equal((job.status as { succeeded?: number }).succeeded, 3);
  } finally {
    await h.stop();
  }
});

test('suspend deletes active pods; resume recreates them', async () => {
  const h = await startJobController();
  try {
    await h.client.create(Resources.jobs, 'default', jobManifest('sus', { completions: 2, parallelism: 2, suspend: true }));
    await waitFor('Suspended', async () => conditionTypes(await getJob(h, 'sus')).includes('Suspended'));
    assert.equal((await podsOf(h, 'sus')).length, 0);
    assert.equal(((await getJob(h, 'sus')).status as { startTime?: string }).startTime, undefined);
    await h.client.patch(Resources.jobs, 'default', 'sus', 'merge', { spec: { suspend: false } });
    await waitFor('2 pods', async () => (await podsOf(h, 'sus')).filter(isActive).length === 2);
    const resumed = await waitFor('Resumed', async () => {
      const j = await getJob(h, 'sus');
      const c = (j.status as { conditions?: { type: string; status: string; reason?: string }[] }).conditions?.find((x) => x.type === 'Suspended');
      return c?.status === 'False' ? c : undefined;
    });
    assert.equal(resumed.reason, 'JobResumed');
    await h.client.patch(Resources.jobs, 'default', 'sus', 'merge', { spec: { suspend: true } });
    await waitFor('pods deleted', async () => (await podsOf(h, 'sus')).filter(isActive).length === 0);
    const job = await waitFor('suspended again', async () => {
      const j = await getJob(h, 'sus');
      return conditionTypes(j).includes('Suspended') && !(j.status as { active?: number }).active ? j : undefined;
    });
    // Pods removed by suspension are not failures.
    assert.equal((job.status as { failed?: number }).failed, undefined);
  } finally {
    await h.stop();
  }
});

test('activeDeadlineSeconds fails the job with DeadlineExceeded', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const h = await startJobController(clock);
  try {
    await h.client.create(Resources.jobs, 'default', jobManifest('slow', { activeDeadlineSeconds: 30 }));
    await waitFor('pod', async () => (await podsOf(h, 'slow')).filter(isActive).length === 1);
    clock.advance(31_000);
    const job = await waitFor('Failed', async () => {
      const j = await getJob(h, 'slow');
      return conditionTypes(j).includes('Failed') ? j : undefined;
    });
    const c = (job.status as { conditions: { type: string; reason?: string; message?: string }[] }).conditions.find((x) => x.type === 'Failed')!;
    assert.equal(c.reason, 'DeadlineExceeded');
    assert.equal(c.message, 'Job was active longer than specified deadline');
  } finally {
    await h.stop();
  }
});

test('podFailurePolicy FailJob on exit code fails at once', async () => {
  const h = await startJobController();
  try {
    await h.client.create(
      Resources.jobs,
      'default',
      jobManifest('pfp', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }),
    );
    const pod = await waitFor('pod', async () => (await podsOf(h, 'pfp')).filter(isActive)[0]);
    await finishPod(h, pod, 42);
    const job = await waitFor('Failed', async () => {
      const j = await getJob(h, 'pfp');
      return conditionTypes(j).includes('Failed') ? j : undefined;
    });
    const c = (job.status as { conditions: { type: string; reason?: string; message?: string }[] }).conditions.find((x) => x.type === 'Failed')!;
    assert.equal(c.reason, 'PodFailurePolicy');
    assert.equal(c.message, `Container main for pod default/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 0`);
  } finally {
    await h.stop();
  }
});

test('completed indexes format and parse', () => {
  const cases: [number[], string][] = [
    [[], ''],
    [[0], '0'],
    [[0, 1, 2], '0-2'],
    [[5, 0, 1, 3], '0-1,3,5'],
  ];
  for (const [input, want] of cases) {
    assert.equal(formatIndexes(input), want);
    assert.deepEqual([...parseIndexes(want, 10)].sort((a, b) => a - b), [...new Set(input)].sort((a, b) => a - b));
  }
  assert.deepEqual([...parseIndexes('0-4,8', 3)], [0, 1, 2]);
});

test('pod failure policy matching', () => {
  const pod = (exitCode: number, conditions: unknown[] = []): KubeObject => ({
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'c', state: { terminated: { exitCode } } }] },
  });
  const policy = {
    rules: [
      { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget' }] },
      { action: 'FailJob' as const, onExitCodes: { operator: 'In' as const, values: [1] } },
      { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1, 2] } },
    ],
  };
  assert.deepEqual(matchPodFailurePolicy(policy, pod(3, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  assert.equal(matchPodFailurePolicy(policy, pod(1)).failJobMessage, 'Container c for pod ns/p failed with exit code 1 matching FailJob rule at index 1');
  assert.deepEqual(matchPodFailurePolicy(policy, pod(5)), { countFailed: true, action: 'Count' });
  assert.deepEqual(matchPodFailurePolicy(policy, pod(2)), { countFailed: true });
});

test('pod failure backoff doubles and caps', () => {
  const store = new PodBackoffStore();
  const failedAt = (t: number): KubeObject => ({ metadata: {}, status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { finishedAt: rfc3339(t) } } }] } });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let rec = store.newRecord('k', [], [failedAt(t0)], t0);
  assert.equal(remainingBackoff(rec, t0), 10_000);
  store.commit('k', rec);
  rec = store.newRecord('k', [], [failedAt(t0)], t0);
  assert.equal(remainingBackoff(rec, t0 + 5000), 15_000);
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 20, lastFailureTime: t0 }, t0), 360_000);
  // A success after the failures resets the count.
  const succeeded: KubeObject = { metadata: {}, status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { finishedAt: rfc3339(t0 + 1000) } } }] } };
  assert.equal(store.newRecord('k', [succeeded], [], t0).failuresAfterLastSuccess, 0);
});
