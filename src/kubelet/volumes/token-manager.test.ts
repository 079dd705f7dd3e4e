import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import type { ApiClient } from '../../client/client.js';
import { TokenManager } from './token-manager.js';

test('tokens are refreshed after 80% of their lifetime', async () => {
  const clock = new FakeClock();
  let n = 0;
  const client = {
    createSubresource: async (_r: unknown, _ns: string, _name: string, _sub: string, body: { spec: { expirationSeconds: number } }) => ({
      status: { token: `t${++n}`, expirationTimestamp: new Date(clock.now() + body.spec.expirationSeconds * 1000).toISOString() },
    }),
  } as unknown as ApiClient;
  const tm = new TokenManager(client, clock);
  const key = { namespace: 'default', serviceAccount: 'default', audiences: [], expirationSeconds: 1000, podName: 'p', podUid: 'u' };
  assert.equal(await tm.token(key), 't1');
  clock.advance(790_000);
  assert.equal(await tm.token(key), 't1');
  clock.advance(20_000);
  assert.equal(await tm.token(key), 't2');
  assert.equal(await tm.token({ ...key, podUid: 'other' }), 't3', 'bound to the pod');
  tm.forgetPod('u');
  assert.equal(await tm.token(key), 't4');
});
