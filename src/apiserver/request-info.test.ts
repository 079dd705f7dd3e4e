import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestPath } from './request-info.js';

test('parseRequestPath', () => {
  const cases: [string, unknown][] = [
    ['/api', { type: 'api' }],
    ['/apis', { type: 'apis' }],
    ['/apis/apps', { type: 'group', group: 'apps' }],
    ['/api/v1', { type: 'groupVersion', group: '', version: 'v1' }],
    ['/apis/apps/v1/', { type: 'groupVersion', group: 'apps', version: 'v1' }],
    ['/api/v1/pods', { type: 'resource', group: '', version: 'v1', watchPath: false, resource: 'pods', name: undefined, subresource: undefined, subpath: undefined }],
    ['/api/v1/namespaces', { type: 'resource', group: '', version: 'v1', watchPath: false, resource: 'namespaces', name: undefined, subresource: undefined, subpath: undefined }],
    ['/api/v1/namespaces/kube-system', { type: 'resource', group: '', version: 'v1', watchPath: false, resource: 'namespaces', name: 'kube-system', subresource: undefined, subpath: undefined }],
    ['/api/v1/namespaces/x/status', { type: 'resource', group: '', version: 'v1', watchPath: false, resource: 'namespaces', name: 'x', subresource: 'status', subpath: undefined }],
    ['/api/v1/namespaces/default/pods', { type: 'resource', group: '', version: 'v1', watchPath: false, namespace: 'default', resource: 'pods', name: undefined, subresource: undefined, subpath: undefined }],
    ['/apis/apps/v1/namespaces/d/deployments/web/scale', { type: 'resource', group: 'apps', version: 'v1', watchPath: false, namespace: 'd', resource: 'deployments', name: 'web', subresource: 'scale', subpath: undefined }],
    ['/api/v1/namespaces/d/services/web:80/proxy/a/b', { type: 'resource', group: '', version: 'v1', watchPath: false, namespace: 'd', resource: 'services', name: 'web:80', subresource: 'proxy', subpath: 'a/b' }],
    ['/api/v1/watch/namespaces/d/pods', { type: 'resource', group: '', version: 'v1', watchPath: true, namespace: 'd', resource: 'pods', name: undefined, subresource: undefined, subpath: undefined }],
    ['/healthz', { type: 'nonResource', path: '/healthz' }],
  ];
  for (const [path, want] of cases) assert.deepEqual(parseRequestPath(path), want, path);
});
