import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../api/status.js';
import { audienceAgnostic, bearerToken, bearerTokenAuthenticator, InvalidTokenError, unionTokenAuthenticator } from './token.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

test('bearer tokens come from Authorization or the WebSocket protocol', () => {
  assert.equal(bearerToken(req({ authorization: 'Bearer abc' })), 'abc');
  assert.equal(bearerToken(req({ authorization: 'bearer  abc ' })), 'abc');
  assert.equal(bearerToken(req({ authorization: 'Bearer ' })), undefined);
  assert.equal(bearerToken(req({ authorization: 'Basic abc' })), undefined);
  const proto = `v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.${Buffer.from('xyz').toString('base64url')}`;
  assert.equal(bearerToken(req({ 'sec-websocket-protocol': proto })), 'xyz');
});

test('an unrecognised or invalid bearer token is a 401; none at all is not our business', async () => {
  const known = audienceAgnostic(['api'], async (t) => (t === 'good' ? { name: 'u', groups: [] } : undefined));
  const broken = { authenticateToken: async (t: string) => { if (t === 'bad') throw new InvalidTokenError('bad'); return undefined; } };
  const authn = bearerTokenAuthenticator(unionTokenAuthenticator([broken, known]));
  assert.equal((await authn.authenticate(req({ authorization: 'Bearer good' })))?.name, 'u');
  assert.equal(await authn.authenticate(req({})), undefined);
  for (const t of ['bad', 'unknown']) {
    await assert.rejects(authn.authenticate(req({ authorization: `Bearer ${t}` })), (e: unknown) => e instanceof StatusError && e.httpCode === 401);
  }
});

test('audience-agnostic tokens are good for the API audiences only', async () => {
  const a = audienceAgnostic(['api'], async () => ({ name: 'u', groups: [] }));
  assert.deepEqual((await a.authenticateToken('t'))?.audiences, ['api']);
  assert.deepEqual((await a.authenticateToken('t', ['x', 'api']))?.audiences, ['api']);
  await assert.rejects(a.authenticateToken('t', ['x']), InvalidTokenError);
});
