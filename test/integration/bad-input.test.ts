/**
 * Every rejected request is answered with a `Status` carrying upstream's code, reason and
 * message. One row per kind of bad input, run against a real `skiff server`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';
import { describeRequest, rawClient, type RawClient, type RawRequest } from './fuzz-client.js';

const CM = '/api/v1/namespaces/default/configmaps';
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
const RFC1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const PAGE_NOT_FOUND = 'the server could not find the requested resource';
const NOT_ALLOWED = 'the server does not allow this method on the requested resource';
const UNKNOWN_FORMAT = 'the body of the request was in an unknown format - accepted media types include:';
const NOT_ACCEPTABLE = 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

interface Expect {
  code: number;
  reason: string;
  /** Exact message, or a fragment it must contain when the rest is parser wording. */
  message: string | { includes: string };
  details?: Record<string, unknown>;
  causes?: { reason: string; field: string; message?: string }[];
}

interface Row {
  name: string;
  /** Built lazily: some rows need values (resourceVersions) that exist only after setup. */
  request: () => RawRequest;
  expect: Expect;
}

const configMap = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });

let server: TestServer;
let client: RawClient;
let staleRV = '';

before(async () => {
  server = await startTestServer();
  client = await rawClient(server.kubeconfig, server.port);
  await client.json('POST', CM, configMap('x'));
  const stale = await client.json('POST', CM, configMap('stale', { data: { a: '1' } }));
  staleRV = stale.metadata.resourceVersion;
  await client.json('PUT', `${CM}/stale`, { ...stale, data: { a: '2' } });
});

after(async () => {
  client?.close();
  await server?.stop();
});

const rows: Row[] = [
  {
    name: 'malformed JSON body on POST',
    request: () => ({ method: 'POST', path: CM, headers: JSON_HEADERS, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":' }),
    expect: { code: 400, reason: 'BadRequest', message: { includes: "couldn't get version/kind; json parse error" } },
  },
  {
    name: 'malformed YAML body on POST',
    request: () => ({
      method: 'POST',
      path: CM,
      headers: { 'Content-Type': 'application/yaml', Accept: 'application/json' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n  labels: {a: b\n',
    }),
    expect: { code: 400, reason: 'BadRequest', message: { includes: 'error converting YAML to JSON' } },
  },
  {
    name: 'Content-Type text/plain on POST',
    request: () => ({ method: 'POST', path: CM, headers: { 'Content-Type': 'text/plain', Accept: 'application/json' }, body: JSON.stringify(configMap('plain')) }),
    expect: { code: 415, reason: 'UnsupportedMediaType', message: { includes: UNKNOWN_FORMAT } },
  },
  {
    name: 'Content-Type application/json (not a patch type) on PATCH',
    request: () => ({ method: 'PATCH', path: `${CM}/x`, headers: JSON_HEADERS, body: '{"data":{"a":"b"}}' }),
    expect: { code: 415, reason: 'UnsupportedMediaType', message: { includes: UNKNOWN_FORMAT } },
  },
  {
    name: 'Accept only protobuf',
    request: () => ({ method: 'GET', path: `${CM}/x`, headers: { Accept: 'application/vnd.kubernetes.protobuf' } }),
    expect: { code: 406, reason: 'NotAcceptable', message: NOT_ACCEPTABLE },
  },
  {
    name: 'Accept only text/html',
    request: () => ({ method: 'GET', path: CM, headers: { Accept: 'text/html' } }),
    expect: { code: 406, reason: 'NotAcceptable', message: NOT_ACCEPTABLE },
  },
  {
    name: 'unknown path',
    request: () => ({ method: 'GET', path: '/no/such/path', headers: { Accept: 'application/json' } }),
    expect: { code: 404, reason: 'NotFound', message: PAGE_NOT_FOUND, details: {} },
  },
  {
    name: 'unknown resource under the core group version',
    request: () => ({ method: 'GET', path: '/api/v1/namespaces/default/widgets', headers: { Accept: 'application/json' } }),
    expect: { code: 404, reason: 'NotFound', message: PAGE_NOT_FOUND, details: {} },
  },
  {
    name: 'unknown resource under apps/v1',
    request: () => ({ method: 'GET', path: '/apis/apps/v1/widgets', headers: { Accept: 'application/json' } }),
    expect: { code: 404, reason: 'NotFound', message: PAGE_NOT_FOUND, details: {} },
  },
  {
    name: 'unknown group',
    request: () => ({ method: 'GET', path: '/apis/nope.example.com/v1/things', headers: { Accept: 'application/json' } }),
    expect: { code: 404, reason: 'NotFound', message: PAGE_NOT_FOUND, details: {} },
  },
  {
    name: 'GET of a missing object',
    request: () => ({ method: 'GET', path: `${CM}/missing`, headers: { Accept: 'application/json' } }),
    expect: { code: 404, reason: 'NotFound', message: 'configmaps "missing" not found', details: { name: 'missing', kind: 'configmaps' } },
  },
  {
    name: 'GET of a missing apps/v1 object names the group',
    request: () => ({ method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/missing', headers: { Accept: 'application/json' } }),
    expect: { code: 404, reason: 'NotFound', message: 'deployments.apps "missing" not found', details: { name: 'missing', group: 'apps', kind: 'deployments' } },
  },
  {
    name: 'POST to an item path',
    request: () => ({ method: 'POST', path: `${CM}/x`, headers: JSON_HEADERS, body: JSON.stringify(configMap('x')) }),
    expect: { code: 405, reason: 'MethodNotAllowed', message: NOT_ALLOWED },
  },
  {
    name: 'PUT to a collection',
    request: () => ({ method: 'PUT', path: CM, headers: JSON_HEADERS, body: JSON.stringify(configMap('x')) }),
    expect: { code: 405, reason: 'MethodNotAllowed', message: NOT_ALLOWED },
  },
  {
    name: 'creating an existing object',
    request: () => ({ method: 'POST', path: CM, headers: JSON_HEADERS, body: JSON.stringify(configMap('x')) }),
    expect: { code: 409, reason: 'AlreadyExists', message: 'configmaps "x" already exists', details: { name: 'x', kind: 'configmaps' } },
  },
  {
    name: 'update with a stale resourceVersion',
    request: () => ({
      method: 'PUT',
      path: `${CM}/stale`,
      headers: JSON_HEADERS,
      body: JSON.stringify({ ...configMap('stale', { data: { a: '3' } }), metadata: { name: 'stale', resourceVersion: staleRV } }),
    }),
    expect: {
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'stale', kind: 'configmaps' },
    },
  },
  {
    name: 'body over 3 MiB',
    request: () => ({
      method: 'POST',
      path: CM,
      headers: JSON_HEADERS,
      body: JSON.stringify(configMap('big', { data: { blob: 'a'.repeat(3 * 1024 * 1024) } })),
    }),
    expect: { code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' },
  },
  {
    name: 'invalid name',
    request: () => ({ method: 'POST', path: CM, headers: JSON_HEADERS, body: JSON.stringify(configMap('Foo_bar')) }),
    expect: {
      code: 422,
      reason: 'Invalid',
      message: `ConfigMap "Foo_bar" is invalid: metadata.name: Invalid value: "Foo_bar": ${RFC1123_SUBDOMAIN}`,
      details: { name: 'Foo_bar', kind: 'ConfigMap' },
      causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Foo_bar": ${RFC1123_SUBDOMAIN}` }],
    },
  },
  {
    name: 'missing name',
    request: () => ({ method: 'POST', path: CM, headers: JSON_HEADERS, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }) }),
    expect: {
      code: 422,
      reason: 'Invalid',
      message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
      causes: [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }],
    },
  },
  {
    name: 'invalid data key',
    request: () => ({ method: 'POST', path: CM, headers: JSON_HEADERS, body: JSON.stringify(configMap('badkey', { data: { 'bad key': 'v' } })) }),
    expect: {
      code: 422,
      reason: 'Invalid',
      message: { includes: 'ConfigMap "badkey" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters' },
      causes: [{ reason: 'FieldValueInvalid', field: 'data[bad key]' }],
    },
  },
  {
    name: 'namespace in the body differs from the URL',
    request: () => ({ method: 'POST', path: CM, headers: JSON_HEADERS, body: JSON.stringify({ ...configMap('ns'), metadata: { name: 'ns', namespace: 'other' } }) }),
    expect: { code: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' },
  },
  {
    name: 'bad labelSelector',
    request: () => ({ method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent('a=-bad-')}`, headers: { Accept: 'application/json' } }),
    expect: { code: 400, reason: 'BadRequest', message: { includes: 'unable to parse requirement' } },
  },
  {
    name: 'unsupported fieldSelector field on pods',
    request: () => ({ method: 'GET', path: `/api/v1/namespaces/default/pods?fieldSelector=${encodeURIComponent('spec.foo=bar')}`, headers: { Accept: 'application/json' } }),
    expect: { code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' },
  },
  {
    // Kinds without their own field label conversion use the generic metadata-only wording.
    name: 'unsupported fieldSelector field on configmaps',
    request: () => ({ method: 'GET', path: `${CM}?fieldSelector=${encodeURIComponent('spec.foo=bar')}`, headers: { Accept: 'application/json' } }),
    expect: { code: 400, reason: 'BadRequest', message: '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"' },
  },
  {
    name: 'invalid continue token',
    request: () => ({ method: 'GET', path: `${CM}?limit=1&continue=not-a-token!!`, headers: { Accept: 'application/json' } }),
    expect: { code: 400, reason: 'BadRequest', message: { includes: 'continue key is not valid' } },
  },
  {
    // Upstream's storage layer rejects it as an invalid resourceVersion; a client error, never a 5xx.
    name: 'non-numeric resourceVersion on LIST',
    request: () => ({ method: 'GET', path: `${CM}?resourceVersion=abc`, headers: { Accept: 'application/json' } }),
    expect: { code: 400, reason: 'BadRequest', message: { includes: 'abc' } },
  },
  {
    name: 'negative resourceVersion on GET',
    request: () => ({ method: 'GET', path: `${CM}/x?resourceVersion=-1`, headers: { Accept: 'application/json' } }),
    expect: { code: 400, reason: 'BadRequest', message: { includes: '-1' } },
  },
];

for (const row of rows) {
  test(row.name, async () => {
    const req = row.request();
    const res = await client.send(req);
    const text = res.body.toString('utf8');
    const where = `${describeRequest(req)}\n→ ${res.status} ${text.slice(0, 500)}`;
    let status: Record<string, any>;
    try {
      status = JSON.parse(text);
    } catch {
      assert.fail(`response is not JSON: ${where}`);
    }
    assert.equal(res.status, row.expect.code, where);
    assert.equal(status.kind, 'Status', where);
    assert.equal(status.apiVersion, 'v1', where);
    assert.equal(status.status, 'Failure', where);
    assert.equal(status.code, row.expect.code, where);
    assert.equal(status.reason, row.expect.reason, where);
    if (typeof row.expect.message === 'string') assert.equal(status.message, row.expect.message, where);
    else assert.ok(typeof status.message === 'string' && status.message.includes(row.expect.message.includes), `message lacks ${JSON.stringify(row.expect.message.includes)}: ${where}`);
    if (row.expect.details) {
      for (const [k, v] of Object.entries(row.expect.details)) assert.deepEqual(status.details?.[k], v, `details.${k}: ${where}`);
      if (Object.keys(row.expect.details).length === 0) assert.deepEqual(status.details ?? {}, {}, where);
    }
    if (row.expect.causes) {
      const causes = (status.details?.causes ?? []) as Record<string, unknown>[];
      assert.equal(causes.length, row.expect.causes.length, `causes: ${where}`);
      row.expect.causes.forEach((c, i) => {
        assert.equal(causes[i].reason, c.reason, `causes[${i}].reason: ${where}`);
        assert.equal(causes[i].field, c.field, `causes[${i}].field: ${where}`);
        if (c.message !== undefined) assert.equal(causes[i].message, c.message, `causes[${i}].message: ${where}`);
      });
    }
  });
}

test('rejected writes left the objects as they were', async () => {
  const list = await client.json('GET', CM);
  const names = (list.items as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort();
  assert.deepEqual(names.filter((n) => n !== 'kube-root-ca.crt'), ['stale', 'x']);
  const stale = await client.json('GET', `${CM}/stale`);
  assert.deepEqual(stale.data, { a: '2' });
});
