import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConnectRequest, splitSchemeNamePort } from './connect-target.js';
import type { ResourceRequest } from '../request-info.js';

test('splitSchemeNamePort reads [scheme:]name[:port]', () => {
  const cases: [string, ReturnType<typeof splitSchemeNamePort>][] = [
    ['web', { scheme: '', name: 'web', port: '' }],
    ['web:8080', { scheme: '', name: 'web', port: '8080' }],
    ['web:http', { scheme: '', name: 'web', port: 'http' }],
    ['https:web', { scheme: 'https', name: 'web', port: '' }],
    ['https:web:443', { scheme: 'https', name: 'web', port: '443' }],
  ];
  for (const [input, want] of cases) assert.deepEqual(splitSchemeNamePort(input), want, input);
  assert.throws(() => splitSchemeNamePort('a:b:c:d'), /invalid name/);
});

test('isConnectRequest names the proxied subresources', () => {
  const req = (resource: string, subresource?: string, group = ''): ResourceRequest => ({ type: 'resource', group, version: 'v1', resource, name: 'x', subresource }) as ResourceRequest;
  const cases: [ResourceRequest, boolean][] = [
    [req('pods', 'log'), true],
    [req('pods', 'exec'), true],
    [req('pods', 'attach'), true],
    [req('pods', 'portforward'), true],
    [req('pods', 'proxy'), true],
    [req('pods', 'status'), false],
    [req('pods'), false],
    [req('nodes', 'proxy'), true],
    [req('services', 'proxy'), true],
    [req('services', 'status'), false],
    [req('deployments', 'proxy', 'apps'), false],
  ];
  for (const [r, want] of cases) assert.equal(isConnectRequest(r), want, `${r.resource}/${r.subresource}`);
});
