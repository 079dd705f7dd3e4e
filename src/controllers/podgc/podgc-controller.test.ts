import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../base/clock.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { PodGCController, QUARANTINE_MS } from './podgc-controller.js';

test('pod GC: terminated pods beyond the threshold and pods on vanished nodes', async () => {
  const cp = await startControlPlane();
  const clock = new FakeClock();
  const client = cp.client('pod-garbage-collector');
  const ctx: ControllerContext = { client, informers: cp.informers(client), clock, log: cp.log, recorder: (c) => new EventRecorder(client, clock, cp.log, c), config: defaultControllerConfig };
  const gc = new PodGCController(ctx, 1);
  try {
    const created: KubeObject[] = [];
    for (const n of ['first', 'second']) {
      const p = await client.create(Resources.pods, 'default', { metadata: { name: n }, spec: { containers: [{ name: 'c', image: 'x' }] } });
      created.push(await client.updateStatus(Resources.pods, { ...p, status: { phase: 'Succeeded' } }));
    }
    const orphan = await client.create(Resources.pods, 'default', { metadata: { name: 'orphan' }, spec: { nodeName: 'gone-node', containers: [{ name: 'c', image: 'x' }] } });
    gc.pods.seed([...created, orphan]);
    gc.nodes.seed([]);

    await gc.gc();
    const names = async () => (await client.list(Resources.pods, 'default')).items.map((p) => p.metadata.name).sort();
    assert.deepEqual(await names(), ['orphan', 'second'], 'oldest (then by name) terminated pod deleted; orphan quarantined');

    gc.pods.seed([created[1]!, orphan]);
    clock.advance(QUARANTINE_MS);
    await gc.gc();
    assert.deepEqual(await names(), ['second'], 'orphan deleted after quarantine');
  } finally {
    await cp.close();
  }
});
