import { setMaxListeners } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder } from '../../client/event-recorder.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { deletionConditions, mergeConditions, type NamespaceCondition } from './conditions.js';
import { NamespaceController } from './namespace-controller.js';

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition never held');
}

test('deletion conditions: failures are True with upstream reasons, the rest False', () => {
  const now = '2026-01-01T00:00:00Z';
  const cases: { name: string; remaining: [string, number][]; finalizers: [string, number][]; expect: Record<string, [string, string, string]> }[] = [
    {
      name: 'empty',
      remaining: [],
      finalizers: [],
      expect: {
        NamespaceContentRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
        NamespaceFinalizersRemaining: ['False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
      },
    },
    {
      name: 'held by finalizers',
      remaining: [['pods.', 2], ['configmaps.', 1]],
      finalizers: [['example.com/hold', 3]],
      expect: {
        NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances'],
        NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances'],
      },
    },
  ];
  for (const c of cases) {
    const fresh = deletionConditions({ discoveryFailures: new Map(), contentErrors: [], remaining: new Map(c.remaining), finalizers: new Map(c.finalizers) }, now);
    const { conditions } = mergeConditions([], fresh, now);
    assert.equal(conditions.length, 5, c.name);
    for (const [type, [status, reason, message]] of Object.entries(c.expect)) {
      const got = conditions.find((x: NamespaceCondition) => x.type === type);
      assert.deepEqual([got?.status, got?.reason, got?.message], [status, reason, message], `${c.name}: ${type}`);
    }
    assert.equal(mergeConditions(conditions, fresh, now).changed, false, `${c.name}: stable`);
  }
});

test('deleting a namespace removes its content, then the namespace', async () => {
  const cp = await startControlPlane();
  const client = cp.client('namespace-controller');
  const informers = cp.informers(client);
  const ctx: ControllerContext = { client, informers, clock: cp.clock, log: cp.log, recorder: (c) => new EventRecorder(client, cp.clock, cp.log, c), config: defaultControllerConfig };
  const ctrl = new NamespaceController(ctx);
  const ac = new AbortController();
  setMaxListeners(50, ac.signal);
  informers.start(ac.signal);
  const done = ctrl.run(ac.signal);
  try {
    const c = cp.client();
    await c.create(Resources.namespaces, undefined, { metadata: { name: 'x' } });
    await c.create(Resources.configmaps, 'x', { metadata: { name: 'plain' } });
    await c.create(Resources.secrets, 'x', { metadata: { name: 's' }, stringData: { a: 'b' } });
    await c.create(Resources.configmaps, 'x', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await c.delete(Resources.namespaces, undefined, 'x');

    await eventually(async () => {
      const ns = await c.get<{ status?: { conditions?: NamespaceCondition[] } } & import('../../api/object.js').KubeObject>(Resources.namespaces, undefined, 'x');
      return ns.status?.conditions?.some((k) => k.type === 'NamespaceFinalizersRemaining' && k.status === 'True') ?? false;
    });
    const ns = await c.get<{ status: { phase: string; conditions: NamespaceCondition[] } } & import('../../api/object.js').KubeObject>(Resources.namespaces, undefined, 'x');
    assert.equal(ns.status.phase, 'Terminating');
    const remaining = ns.status.conditions.find((k) => k.type === 'NamespaceContentRemaining');
    assert.equal(remaining?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.equal((await c.list(Resources.secrets, 'x')).items.length, 0, 'secrets deleted');
    await assert.rejects(c.create(Resources.configmaps, 'x', { metadata: { name: 'late' } }), (e) => e instanceof ApiError && e.status === 403);

    await c.patch(Resources.configmaps, 'x', 'held', 'merge', { metadata: { finalizers: null } });
    ctrl.queue.add('x'); // stands in for the 8 s requeue upstream waits after finalizers
    await eventually(async () => {
      try {
        await c.get(Resources.namespaces, undefined, 'x');
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    });
  } finally {
    ac.abort();
    await done;
    await cp.close();
  }
});
