/**
 * Deterministic generators of hostile requests for the fuzz suite. Every write body is invalid
 * by construction (bad syntax, wrong shape, or an invalid name), and DELETE only ever targets
 * names or namespaces that do not exist, so a correct server changes nothing in the store.
 */
import type { RawRequest } from './fuzz-client.js';

export type Rng = () => number;

/** mulberry32: small, fast, good enough to make fuzz runs reproducible from a seed. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Endpoint {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  prefix: string;
  /** Plural, possibly with a subresource: `pods/status`. */
  name: string;
  namespaced: boolean;
  verbs: string[];
}

export interface FuzzWorld {
  endpoints: Endpoint[];
  /** Names of objects that exist, so writes also hit real objects (with invalid bodies). */
  existing: { prefix: string; plural: string; namespace?: string; name: string }[];
  /** A namespace that does not exist. */
  missingNamespace: string;
}

/** Always fails validation: upper case and underscore are never allowed in object names. */
export const INVALID_NAME = 'Fz_Invalid';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function randomToken(rng: Rng, len: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-.'): string {
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}

/** A name that cannot exist (and cannot walk to another path): safe as a DELETE target. */
function absentName(rng: Rng): string {
  return pick(rng, [
    () => `fz-${randomToken(rng, int(rng, 1, 20))}`,
    () => `Fz_${randomToken(rng, int(rng, 1, 20), 'ABCxyz_09')}`,
    () => `fz-${'a'.repeat(int(rng, 254, 6000))}`,
    () => `fz${encodeURIComponent(pick(rng, ['é', '名前', '🚀', '\u202e', '\uffff']))}`,
    () => `fz%00${randomToken(rng, 3)}`,
    () => `fz\u00e9\u00ff`, // raw Latin-1 bytes: invalid UTF-8 on the wire
    () => `fz%ZZ%${randomToken(rng, 1)}`,
    () => `fz;x=1`,
    () => `fz%2Fsub`,
  ])();
}

/** Names that may normalise into other paths; never used with DELETE. */
function hostileName(rng: Rng): string {
  return pick(rng, [() => '..', () => '%2e%2e', () => '%2E%2e/%2e%2e', () => '.', () => '../../../../healthz', () => '', () => absentName(rng)])();
}

function randomSegments(rng: Rng): string {
  const n = int(rng, 1, 4);
  const segs: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = pick(rng, [() => `Zz${randomToken(rng, int(rng, 1, 12))}`, () => '..', () => '%2e%2e', () => '%00', () => '', () => encodeURIComponent('ü/ß'), () => 'X'.repeat(int(rng, 300, 5000))])();
    segs.push(s);
  }
  return segs.join('/');
}

const GARBAGE_QUERY: Record<string, (rng: Rng) => string> = {
  labelSelector: (rng) => pick(rng, ['a=(b', '!', 'a in (', '=x', 'a==b==c', 'Bad Key=1', 'a=-bad-', '%%%', 'a notin', ',,,', 'a>b']),
  fieldSelector: (rng) => pick(rng, ['spec.foo=bar', '=', 'metadata.name', 'a==b==c', 'metadata.name=a\\', ',,', '!metadata.name']),
  limit: (rng) => pick(rng, ['-1', 'abc', '1e400', '99999999999999999999', '', '0x10']),
  continue: (rng) => pick(rng, ['garbage', '%%%', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiXHUwMDAwIn0', Buffer.from('{"v":"x"}').toString('base64'), 'e30']),
  resourceVersion: (rng) => pick(rng, ['abc', '-1', '1.5', '0x10', ' 1', '18446744073709551616x']),
  resourceVersionMatch: (rng) => pick(rng, ['Bogus', 'NotOlderThan', 'Exact', '']),
  dryRun: (rng) => pick(rng, ['Bogus', 'all', '']),
  fieldValidation: (rng) => pick(rng, ['Bogus', 'Strict']),
  propagationPolicy: (rng) => pick(rng, ['Bogus', 'Orphan']),
  gracePeriodSeconds: (rng) => pick(rng, ['-5', 'abc', '1e400']),
  timeoutSeconds: (rng) => pick(rng, ['-1', 'abc']),
  fieldManager: (rng) => pick(rng, ['x'.repeat(200), '', 'fz']),
  pretty: () => 'notabool',
  watch: () => 'false',
};

function garbageQuery(rng: Rng): string {
  if (rng() < 0.5) return '';
  const keys = Object.keys(GARBAGE_QUERY);
  const parts: string[] = [];
  for (let i = int(rng, 1, 3); i > 0; i--) {
    const k = pick(rng, keys);
    parts.push(`${k}=${encodeURIComponent(GARBAGE_QUERY[k](rng))}`);
  }
  if (rng() < 0.1) parts.push('%zz=%zz', '&&=&');
  return `?${parts.join('&')}`;
}

export const CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'text/plain',
  'application/vnd.kubernetes.protobuf',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=zz',
  'application/json;;;==',
  '',
  '*/*',
  'garbage',
];

const ACCEPTS = ['application/json', 'application/yaml', '*/*', 'text/html', 'application/vnd.kubernetes.protobuf', 'application/json;as=Table;g=meta.k8s.io;v=v1', 'application/json;as=Bogus;g=x;v=y', ''];

const invalidObject = (extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: INVALID_NAME, namespace: 'default' }, data: { k: 'v' }, ...extra });

function nested(depth: number, open: string, close: string, leaf: string): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

/** Bodies that no endpoint can accept as a change. */
export function garbageBody(rng: Rng): Buffer | string {
  return pick(rng, [
    () => '',
    () => {
      const full = JSON.stringify(invalidObject({ metadata: { name: INVALID_NAME, labels: { a: 'b' } } }));
      return full.slice(0, int(rng, 1, full.length - 1));
    },
    () => {
      const b = Buffer.alloc(int(rng, 1, 4096));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rng() * 256);
      return b;
    },
    () => Buffer.concat([Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}}')]),
    () => nested(int(rng, 1, 3) === 1 ? 100_000 : int(rng, 10_001, 30_000), '[', ']', '1'),
    () => `{"metadata":{"name":${nested(int(rng, 10_001, 100_000), '{"a":', '}', '1')}}}`,
    () => `{"metadata":{"name":${nested(int(rng, 50, 500), '[', ']', '"x"')}}}`,
    () => JSON.stringify(invalidObject({ data: { k: 'x'.repeat(int(rng, 1, 3) === 1 ? 3 * 1024 * 1024 : int(rng, 100_000, 2_500_000)) } })),
    () => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${INVALID_NAME}","generation":${pick(rng, ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0', '1.5'])}}}`,
    () => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fz-dup","name":"${INVALID_NAME}"},"data":{"a":"1","a":2}}`,
    () => {
      let y = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
      for (const [k, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) y += `${k}: &${k} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]\n`;
      return y;
    },
    () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${INVALID_NAME}\n  labels: &x\n    a: *x\n`,
    () => `${'- '.repeat(int(rng, 1000, 100_000))}x\n`,
    () => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tab-indented\n',
    () => pick(rng, ['[1,2]', '"str"', '42', 'null', 'true', '{"metadata":5}', '{"metadata":{"name":{}}}', '{"apiVersion":5,"kind":[]}', '{"metadata":{"labels":"x"}}', '{"metadata":{"name":[]},"spec":"x"}', '{"metadata":{"annotations":[1]}}', '{"metadata":null,"kind":"ConfigMap"}']),
    () => pick(rng, [
      '[{"op":"explode","path":"/a"}]',
      '[{"op":"add"}]',
      '[{"op":"remove","path":"/nonexistent/zzz"}]',
      `[{"op":"test","path":"/metadata/name","value":"${INVALID_NAME}"}]`,
      '[{"op":"add","path":"/metadata/name","value":{}}]',
      '[{"op":"replace","path":"/metadata","value":5}]',
      '[{"op":"move","from":"/nope","path":"/metadata/x"}]',
      '[{"op":"copy","from":"/metadata","path":"/metadata/labels"}]',
      '[null]',
      '[[[]]]',
    ]),
    () => pick(rng, [
      '{"$patch":"explode"}',
      '{"metadata":{"$deleteFromPrimitiveList/finalizers":5}}',
      '{"metadata":{"labels":{"$patch":"replace","Bad Key!":"v"}}}',
      '{"metadata":{"$setElementOrder/finalizers":{"a":1}}}',
      '{"metadata":{"$retainKeys":7,"name":{}}}',
    ]),
    () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${INVALID_NAME}\ndata:\n  k: [unterminated\n`,
  ])();
}

const OTHER_METHODS = ['HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'SEARCH', 'PURGE', 'REPORT', 'LOCK', 'UNLOCK'];

function discoveryPath(rng: Rng, world: FuzzWorld): string {
  const bases = ['/api', '/api/v1', '/apis', '/version', '/openapi/v2', '/openapi/v3', '/healthz', '/livez', '/readyz', ...new Set(world.endpoints.map((e) => e.prefix))];
  const base = pick(rng, bases);
  return `${base}/${randomSegments(rng)}`;
}

function resourcePath(rng: Rng, world: FuzzWorld, method: string): string {
  const forDelete = method === 'DELETE';
  if (!forDelete && rng() < 0.3 && world.existing.length > 0) {
    const o = pick(rng, world.existing);
    const sub = rng() < 0.2 ? `/${pick(rng, ['status', 'scale', 'finalize', 'binding', 'eviction', 'token', 'ephemeralcontainers', 'approval'])}` : '';
    return `${o.prefix}/${o.namespace !== undefined ? `namespaces/${o.namespace}/` : ''}${o.plural}/${o.name}${sub}`;
  }
  const e = pick(rng, world.endpoints);
  const [plural, sub] = e.name.split('/');
  const ns = e.namespaced ? (forDelete ? pick(rng, [world.missingNamespace, 'default', 'kube-system']) : pick(rng, ['default', 'kube-system', world.missingNamespace, hostileName(rng)])) : undefined;
  const nsPart = ns !== undefined ? `namespaces/${ns}/` : '';
  if (forDelete) {
    // Collections only where nothing can live: a namespace that does not exist.
    if (e.namespaced && ns === world.missingNamespace && !sub && rng() < 0.3) return `${e.prefix}/${nsPart}${plural}`;
    return `${e.prefix}/${nsPart}${plural}/${absentName(rng)}${sub ? `/${sub}` : ''}`;
  }
  const name = rng() < 0.15 && !sub ? undefined : hostileName(rng);
  if (name === undefined) return `${e.prefix}/${nsPart}${plural}`;
  const subPart = sub ? `/${sub}` : rng() < 0.1 ? `/${randomSegments(rng)}` : '';
  return `${e.prefix}/${nsPart}${plural}/${name}${subPart}`;
}

export function nextRequest(rng: Rng, world: FuzzWorld): RawRequest {
  const r = rng();
  const method = r < 0.25 ? 'GET' : r < 0.45 ? 'POST' : r < 0.6 ? 'PUT' : r < 0.8 ? 'PATCH' : r < 0.88 ? 'DELETE' : pick(rng, OTHER_METHODS);
  let path = rng() < 0.2 ? discoveryPath(rng, world) : resourcePath(rng, world, method);
  // Never open a watch: it would stream until the server ends it.
  path = path.replace(/\/watch(\/|$)/g, '/wotch$1');
  path += garbageQuery(rng);
  const headers: Record<string, string> = {};
  const accept = pick(rng, ACCEPTS);
  if (accept) headers.Accept = accept;
  const writes = method !== 'GET' && method !== 'HEAD';
  let body: Buffer | string | undefined;
  if (writes && (method !== 'DELETE' || rng() < 0.5)) body = garbageBody(rng);
  if (body !== undefined) {
    const ct = pick(rng, CONTENT_TYPES);
    if (ct) headers['Content-Type'] = ct;
  }
  // Under the default fieldValidation (Warn) a body whose only fault is an unknown field is a
  // valid no-op write, as upstream; Strict keeps every generated write invalid by construction.
  if (writes && method !== 'DELETE' && !/[?&]fieldValidation=/.test(path)) path += `${path.includes('?') ? '&' : '?'}fieldValidation=Strict`;
  return { method, path, headers, body };
}
