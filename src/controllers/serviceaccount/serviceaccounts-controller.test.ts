import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder } from '../../client/event-recorder.js';
import { isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { defaultControllerConfig, type ControllerContext } from '../types.js';
import { ServiceAccountsController } from './serviceaccounts-controller.js';

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition never held');
}

test('a new namespace gets a default ServiceAccount, recreated when deleted', async () => {
  const cp = await startControlPlane();
  const client = cp.client('serviceaccount-controller');
  const informers = cp.informers(client);
  const ctx: ControllerContext = { client, informers, clock: cp.clock, log: cp.log, recorder: (c) => new EventRecorder(client, cp.clock, cp.log, c), config: defaultControllerConfig };
  const ctrl = new ServiceAccountsController(ctx);
  const ac = new AbortController();
  informers.start(ac.signal);
  const done = ctrl.run(ac.signal);
  const hasDefault = async () => {
    try {
      await client.get(Resources.serviceaccounts, 'team-a', 'default');
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  };
  try {
    await client.create(Resources.namespaces, undefined, { metadata: { name: 'team-a' } });
    await eventually(hasDefault);
    await client.delete(Resources.serviceaccounts, 'team-a', 'default');
    await eventually(hasDefault);
    assert.ok(await hasDefault());
  } finally {
    ac.abort();
    await done;
    await cp.close();
  }
});
