import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../api/status.js';
import { forbiddenError } from '../authz/attributes.js';
import type { Attributes } from '../authz/types.js';
import { impersonate } from './impersonation.js';
import type { UserInfo } from './types.js';

const admin: UserInfo = { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] };

function req(raw: [string, string][]): IncomingMessage {
  const headers: Record<string, string> = {};
  const distinct: Record<string, string[]> = {};
  for (const [k, v] of raw) {
    headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    (distinct[k] ??= []).push(v);
  }
  return { headers, headersDistinct: distinct } as unknown as IncomingMessage;
}

function recorder(deny?: (a: Attributes) => boolean) {
  const seen: string[] = [];
  const authorize = async (a: Attributes) => {
    seen.push(`${a.verb} ${a.apiGroup}/${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.namespace ? a.namespace + '/' : ''}${a.name}`);
    if (deny?.(a)) throw forbiddenError(a);
  };
  return { seen, authorize };
}

test('no impersonation headers: the user is unchanged and nothing is asked', async () => {
  const r = recorder();
  assert.equal(await impersonate(req([]), admin, r.authorize), admin);
  assert.deepEqual(r.seen, []);
});

test('user, groups, uid and extras are each authorized and then become the identity', async () => {
  const r = recorder();
  const request = req([
    ['impersonate-user', 'jane'],
    ['impersonate-group', 'devs'],
    ['impersonate-group', 'ops'],
    ['impersonate-uid', 'u-1'],
    ['impersonate-extra-scopes', 'view'],
    ['impersonate-extra-example.com%2fteam', 'a'],
  ]);
  const u = await impersonate(request, admin, r.authorize);
  assert.deepEqual(u, { name: 'jane', uid: 'u-1', groups: ['devs', 'ops', 'system:authenticated'], extra: { scopes: ['view'], 'example.com/team': ['a'] } });
  assert.deepEqual(r.seen, [
    'impersonate /users jane',
    'impersonate /groups devs',
    'impersonate /groups ops',
    'impersonate authentication.k8s.io/userextras/scopes view',
    'impersonate authentication.k8s.io/userextras/example.com/team a',
    'impersonate authentication.k8s.io/uids u-1',
  ]);
  assert.equal(request.headers['impersonate-user'], undefined);
});

test('service accounts are checked as serviceaccounts and get their groups', async () => {
  const r = recorder();
  const u = await impersonate(req([['impersonate-user', 'system:serviceaccount:default:viewer']]), admin, r.authorize);
  assert.deepEqual(u.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
  assert.deepEqual(r.seen, ['impersonate /serviceaccounts default/viewer']);
});

test('impersonating anonymous adds system:unauthenticated, not system:authenticated', async () => {
  const u = await impersonate(req([['impersonate-user', 'system:anonymous']]), admin, recorder().authorize);
  assert.deepEqual(u.groups, ['system:unauthenticated']);
});

test('a denied part is a 403 in upstream words', async () => {
  const r = recorder((a) => a.resource === 'groups');
  const bob: UserInfo = { name: 'bob', groups: ['system:authenticated'] };
  await assert.rejects(impersonate(req([['impersonate-user', 'jane'], ['impersonate-group', 'system:masters']]), bob, r.authorize), (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.httpCode, 403);
    assert.equal(e.message, 'groups "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope');
    return true;
  });
});

test('groups without a user is an error', async () => {
  await assert.rejects(impersonate(req([['impersonate-group', 'devs']]), admin, recorder().authorize), (e: unknown) => e instanceof StatusError && e.httpCode === 500 && /without impersonating a user/.test(e.message));
});
