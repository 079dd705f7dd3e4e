import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../authz/types.js';
import { compactRuleString, ruleAllows, uncoveredRules } from './rule-matching.js';
import type { PolicyRule } from './types.js';

const user = { name: 'u', groups: [] };
const res = (verb: string, resource: string, o: Partial<Attributes> = {}): Attributes => ({
  user, verb, resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', resource, subresource: '', namespace: 'default', name: '', ...o,
});
const url = (verb: string, path: string): Attributes => ({
  user, verb, resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
});

test('ruleAllows follows upstream matching', () => {
  const cases: [string, PolicyRule, Attributes, boolean][] = [
    ['exact', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods'), true],
    ['other verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), false],
    ['verb star', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), true],
    ['other group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, res('get', 'pods'), false],
    ['group star', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, res('get', 'deployments', { apiGroup: 'apps' }), true],
    ['bare resource misses subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log' }), false],
    ['subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods', { subresource: 'log' }), true],
    ['star/subresource', { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, res('get', 'pods', { subresource: 'status' }), true],
    ['star reaches subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', 'pods', { subresource: 'exec' }), true],
    ['resourceNames match', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, res('get', 'secrets', { name: 'a' }), true],
    ['resourceNames miss', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, res('get', 'secrets', { name: 'b' }), false],
    ['resourceNames never match a list', { verbs: ['list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, res('list', 'secrets'), false],
    ['url exact', { verbs: ['get'], nonResourceURLs: ['/version'] }, url('get', '/version'), true],
    ['url prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/apis/apps/v1'), true],
    ['url prefix miss', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/api'), false],
    ['url rule ignores resources', { verbs: ['get'], nonResourceURLs: ['*'] }, res('get', 'pods'), false],
    ['resource rule ignores urls', { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, url('get', '/'), false],
  ];
  for (const [name, rule, attrs, want] of cases) assert.equal(ruleAllows(attrs, rule), want, name);
});

test('uncoveredRules lists what the owner lacks', () => {
  const owner: PolicyRule[] = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] }, { verbs: ['get'], nonResourceURLs: ['/healthz/*'] }];
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'deployments/status'] }]), []);
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], nonResourceURLs: ['/healthz/etcd'] }]), []);
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]), [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }]);
  const named: PolicyRule[] = [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }];
  assert.deepEqual(uncoveredRules(named, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }]), []);
  assert.equal(uncoveredRules(named, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).length, 1);
});

test('compactRuleString is upstream CompactString', () => {
  assert.equal(compactRuleString({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }), '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}');
  assert.equal(compactRuleString({ verbs: ['get'], nonResourceURLs: ['/x'] }), '{NonResourceURLs:["/x"], Verbs:["get"]}');
});
