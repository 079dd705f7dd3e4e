import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from './decode.js';
import { ProtobufDecodeError, ProtobufInvalidWireDataError, ProtobufMissingMagicError, ProtobufUnknownTypeError } from './errors.js';
import { SkiffError } from '../../base/errors.js';

// A minimal protobuf writer, enough to build bodies field by field.
type Bytes = number[];
const varint = (value: bigint | number): Bytes => {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    out.push(b);
  } while (n !== 0n);
  return out;
};
const int = (field: number, value: bigint | number): Bytes => [...varint(field << 3), ...varint(value)];
const ld = (field: number, payload: Bytes | Uint8Array): Bytes => [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
const str = (field: number, value: string): Bytes => ld(field, [...Buffer.from(value, 'utf8')]);
const msg = (field: number, ...parts: Bytes[]): Bytes => ld(field, parts.flat());
const entry = (field: number, key: string, value: Bytes) => msg(field, str(1, key), value);
const envelope = (apiVersion: string, kind: string, ...raw: Bytes[]): Buffer =>
  Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...ld(2, raw.flat())]);

test('a Pod decodes with Go JSON semantics: omitempty zeros dropped, pointers and non-omitempty zeros kept', () => {
  const body = envelope(
    'v1',
    'Pod',
    msg(
      1,
      str(1, 'p'),
      str(2, ''),
      str(3, 'default'),
      int(7, 0),
      msg(8, int(1, 1767225600n)),
      int(10, 0),
      entry(11, 'app', str(2, 'web')),
      str(14, 'example.com/f'),
    ),
    msg(
      2,
      msg(2, str(1, ''), str(2, 'nginx'), str(5, ''), msg(6, int(3, 8080), str(4, 'TCP')), msg(8, entry(1, 'cpu', ld(2, str(1, '500m')))), int(16, 0)),
      str(3, 'Always'),
      int(4, -1),
      int(5, 30),
      int(21, 0),
    ),
    msg(3),
  );
  const decoded = decodeKubernetesProtobuf(body);
  assert.equal(decoded.apiVersion, 'v1');
  assert.equal(decoded.kind, 'Pod');
  assert.deepEqual(decoded.object, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      creationTimestamp: '2026-01-01T00:00:00Z',
      deletionGracePeriodSeconds: 0,
      labels: { app: 'web' },
      finalizers: ['example.com/f'],
    },
    spec: {
      // Container.name has no omitempty in Go, so an empty name still prints.
      containers: [{ name: '', image: 'nginx', ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { limits: { cpu: '500m' } } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: -1,
      activeDeadlineSeconds: 30,
      automountServiceAccountToken: false,
    },
    status: {},
  });
});

test('unknown fields of every wire type are skipped', () => {
  const body = envelope(
    'v1',
    'ConfigMap',
    int(99, 300),
    [...varint((98 << 3) | 1), 1, 2, 3, 4, 5, 6, 7, 8],
    str(97, 'future'),
    [...varint((96 << 3) | 5), 1, 2, 3, 4],
    [...varint((95 << 3) | 3), ...int(1, 1), ...varint((95 << 3) | 4)],
    msg(1, str(1, 'c'), int(99, 1)),
    entry(2, 'k', str(2, 'v')),
  );
  assert.deepEqual(decodeKubernetesProtobuf(body).object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } });
});

test('bytes maps become base64 and IntOrString keeps its type', () => {
  const secret = envelope('v1', 'Secret', msg(1, str(1, 's')), entry(2, 'a', ld(2, [...Buffer.from('b')])), str(3, 'Opaque'));
  assert.deepEqual(decodeKubernetesProtobuf(secret).object, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==' }, type: 'Opaque' });

  const service = envelope(
    'v1',
    'Service',
    msg(1, str(1, 'x')),
    msg(2, msg(1, str(2, 'TCP'), int(3, 80), msg(4, int(1, 0), int(2, 8080))), msg(1, str(1, 'named'), int(3, 81), msg(4, int(1, 1), str(3, 'http')))),
  );
  const spec = decodeKubernetesProtobuf(service).object.spec as { ports: unknown[] };
  assert.deepEqual(spec.ports, [
    { protocol: 'TCP', port: 80, targetPort: 8080 },
    { name: 'named', port: 81, targetPort: 'http' },
  ]);
});

test('MicroTime, RawExtension and nested envelopes decode to their JSON forms', () => {
  const lease = envelope('coordination.k8s.io/v1', 'Lease', msg(1, str(1, 'l')), msg(2, str(1, 'me'), int(2, 15), msg(4, int(1, 1767225600n), int(2, 1500))));
  assert.deepEqual(decodeKubernetesProtobuf(lease).object.spec, { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2026-01-01T00:00:00.000001Z' });

  const json = msg(2, ld(1, [...Buffer.from('{"a":[1,2]}')]));
  const revision = envelope('apps/v1', 'ControllerRevision', msg(1, str(1, 'r')), json, int(3, 2));
  assert.deepEqual(decodeKubernetesProtobuf(revision).object, { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: { a: [1, 2] }, revision: 2 });

  const inner = envelope('v1', 'ConfigMap', msg(1, str(1, 'inner')));
  const nested = envelope('apps/v1', 'ControllerRevision', msg(1, str(1, 'r')), msg(2, ld(1, inner)), int(3, 1));
  assert.deepEqual(decodeKubernetesProtobuf(nested).object.data, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' } });
});

test('DeleteOptions decodes under any group version', () => {
  const body = envelope('apps/v1', 'DeleteOptions', int(1, 0), msg(2, str(1, 'uid-1')), str(4, 'Foreground'));
  assert.deepEqual(decodeKubernetesProtobuf(body).object, {
    apiVersion: 'apps/v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 0,
    preconditions: { uid: 'uid-1' },
    propagationPolicy: 'Foreground',
  });
});

test('bad bodies fail with typed errors that are SkiffErrors', () => {
  const good = envelope('v1', 'Namespace', msg(1, str(1, 'n')));
  const cases: Array<[string, Buffer, new (...args: never[]) => ProtobufDecodeError, string]> = [
    ['no magic', Buffer.from('{"kind":"Namespace"}'), ProtobufMissingMagicError, 'ProtobufMissingMagic'],
    ['empty body', Buffer.alloc(0), ProtobufMissingMagicError, 'ProtobufMissingMagic'],
    ['truncated', good.subarray(0, good.length - 2), ProtobufInvalidWireDataError, 'ProtobufInvalidWireData'],
    ['no kind', Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, 'v1'))]), ProtobufInvalidWireDataError, 'ProtobufInvalidWireData'],
    ['string field as varint', envelope('v1', 'Namespace', msg(1, int(1, 5))), ProtobufInvalidWireDataError, 'ProtobufInvalidWireData'],
    ['gzip content encoding', Buffer.concat([good, Buffer.from(str(3, 'gzip'))]), ProtobufInvalidWireDataError, 'ProtobufInvalidWireData'],
    ['unknown kind', envelope('v1', 'Widget', msg(1, str(1, 'w'))), ProtobufUnknownTypeError, 'ProtobufUnknownType'],
    ['unknown group', envelope('example.com/v1', 'Widget'), ProtobufUnknownTypeError, 'ProtobufUnknownType'],
  ];
  for (const [name, body, type, code] of cases) {
    assert.throws(
      () => decodeKubernetesProtobuf(body),
      (err: unknown) => err instanceof type && err instanceof SkiffError && err.code === code,
      name,
    );
  }
});
