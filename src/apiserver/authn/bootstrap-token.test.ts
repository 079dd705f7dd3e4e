import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../base/clock.js';
import { bootstrapTokenSecret, formatBootstrapToken, generateBootstrapToken, parseBootstrapToken } from '../tokens/bootstrap-token.js';
import { bootstrapTokenUser } from './bootstrap-token.js';
import { mapGetter } from './object-getter.js';

test('bootstrap token format is <6>.<16> of [a-z0-9]', () => {
  const cases: [string, boolean][] = [
    ['abcdef.0123456789abcdef', true],
    ['ABCDEF.0123456789abcdef', false],
    ['abcde.0123456789abcdef', false],
    ['abcdef.0123456789abcde', false],
    ['abcdef:0123456789abcdef', false],
    ['abcdef.0123456789abcdef ', false],
  ];
  for (const [t, ok] of cases) assert.equal(parseBootstrapToken(t) !== undefined, ok, t);
  for (let i = 0; i < 20; i++) {
    const g = formatBootstrapToken(generateBootstrapToken());
    assert.deepEqual(parseBootstrapToken(g) && formatBootstrapToken(parseBootstrapToken(g)!), g);
  }
});

test('bootstrap secrets authenticate until they expire', async () => {
  const clock = new FakeClock();
  const objects = new Map<string, KubeObject>();
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  const put = (s: KubeObject) => objects.set(`secrets/kube-system/${s.metadata.name}`, s);
  put(bootstrapTokenSecret(token, { expiresAtMs: clock.now() + 3_600_000, usages: ['authentication', 'signing'], extraGroups: ['system:bootstrappers:skiff:default-node-token'] }));
  const authn = bootstrapTokenUser(mapGetter(objects), clock);
  assert.deepEqual(await authn('abcdef.0123456789abcdef'), {
    name: 'system:bootstrap:abcdef',
    groups: ['system:bootstrappers', 'system:bootstrappers:skiff:default-node-token'],
  });
  assert.equal(await authn('abcdef.0123456789abcdeX'), undefined, 'wrong secret');
  assert.equal(await authn('abcdef.aaaaaaaaaaaaaaaa'), undefined, 'wrong secret');
  assert.equal(await authn('zzzzzz.0123456789abcdef'), undefined, 'unknown id');
  clock.advance(3_600_001);
  assert.equal(await authn('abcdef.0123456789abcdef'), undefined, 'expired');

  put(bootstrapTokenSecret(token, { usages: ['signing'], extraGroups: [] }));
  assert.equal(await authn('abcdef.0123456789abcdef'), undefined, 'not for authentication');
  put(bootstrapTokenSecret(token, { usages: ['authentication'], extraGroups: [] }));
  assert.equal((await authn('abcdef.0123456789abcdef'))?.name, 'system:bootstrap:abcdef', 'no expiry');
  put({ ...bootstrapTokenSecret(token, { usages: ['authentication'], extraGroups: [] }), type: 'Opaque' });
  assert.equal(await authn('abcdef.0123456789abcdef'), undefined, 'wrong Secret type');
  put(bootstrapTokenSecret(token, { usages: ['authentication'], extraGroups: ['system:masters'] }));
  assert.equal(await authn('abcdef.0123456789abcdef'), undefined, 'extra groups outside system:bootstrappers');
});

test('expiration is stored as RFC 3339 without fractions', () => {
  const s = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef' }, { expiresAtMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678), usages: [], extraGroups: [] });
  assert.equal(Buffer.from((s.data as Record<string, string>).expiration, 'base64').toString(), '2026-01-02T03:04:05Z');
  assert.equal(s.type, 'bootstrap.kubernetes.io/token');
  assert.equal(s.metadata.name, 'bootstrap-token-abcdef');
});
