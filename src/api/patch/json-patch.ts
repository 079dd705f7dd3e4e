/**
 * RFC 6902 JSON Patch with the semantics of gopkg.in/evanphx/json-patch.v4, the library the
 * apiserver applies `application/json-patch+json` with. Where v4 departs from the RFC we follow
 * v4, because kubectl users see v4's behaviour on real clusters:
 * - `replace` of a missing object key adds it (only a missing parent or array index fails);
 * - negative array indices count from the end;
 * - `copy` from a missing object key copies `null`;
 * - `test` of a missing key passes when the expected value is `null` or absent.
 */
import {
  JsonPatchApplyError,
  JsonPatchTestFailedError,
  JsonPatchTooManyOperationsError,
  MalformedPatchError,
} from './errors.js';
import { cloneJson, deepEqual, hasOwn, isJsonObject, setOwn, type JsonObject } from './json-value.js';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** Upstream's maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** Applies `ops` (the decoded request body) to a copy of `doc`; `doc` is left untouched. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = decodeOperations(ops);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new JsonPatchTooManyOperationsError(operations.length, MAX_JSON_PATCH_OPERATIONS);
  }
  const root: { doc: unknown } = { doc: cloneJson(doc) };
  if (!isContainer(root.doc)) throw new MalformedPatchError('invalid JSON document');
  for (const op of operations) applyOperation(root, op);
  return root.doc;
}

function decodeOperations(ops: unknown): JsonObject[] {
  if (!Array.isArray(ops)) {
    throw new MalformedPatchError(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (!isJsonObject(op)) {
      throw new MalformedPatchError(
        `json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`,
      );
    }
  }
  return ops as JsonObject[];
}

function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

type Container = JsonObject | unknown[];

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isJsonObject(value);
}

function applyOperation(root: { doc: unknown }, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return add(root, op);
    case 'remove':
      return remove(root, op);
    case 'replace':
      return replace(root, op);
    case 'move':
      return move(root, op);
    case 'test':
      return testValue(root, op);
    case 'copy':
      return copy(root, op);
    default:
      throw new JsonPatchApplyError(`Unexpected kind: ${kind}`);
  }
}

function add(root: { doc: unknown }, op: JsonObject): void {
  const path = stringField(op, 'path', `add operation failed to decode path: ${MISSING}`);
  const target = findParent(root.doc, path);
  if (!target) throw new JsonPatchApplyError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrap(`error in add for path: '${path}'`, () => insert(target.container, target.key, valueOf(op)));
}

function remove(root: { doc: unknown }, op: JsonObject): void {
  const path = stringField(op, 'path', `remove operation failed to decode path: ${MISSING}`);
  const target = findParent(root.doc, path);
  if (!target) {
    throw new JsonPatchApplyError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  }
  wrap(`error in remove for path: '${path}'`, () => removeKey(target.container, target.key));
}

function replace(root: { doc: unknown }, op: JsonObject): void {
  const path = stringField(op, 'path', `replace operation failed to decode path: ${MISSING}`);
  if (path === '') {
    const value = valueOf(op);
    if (!isContainer(value)) throw new JsonPatchApplyError('replace operation value must be object or array');
    root.doc = value;
    return;
  }
  const target = findParent(root.doc, path);
  if (!target) {
    throw new JsonPatchApplyError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  }
  const { container, key } = target;
  if (Array.isArray(container)) {
    const index = tryIndex(container, key);
    if (index === undefined) {
      throw new JsonPatchApplyError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
    }
    container[index] = valueOf(op);
  } else {
    setOwn(container, key, valueOf(op));
  }
}

function move(root: { doc: unknown }, op: JsonObject): void {
  const from = stringField(op, 'from', `move operation failed to decode from: ${MISSING}`);
  const source = findParent(root.doc, from);
  if (!source) {
    throw new JsonPatchApplyError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  }
  const value = wrap(`error in move for path: '${source.key}'`, () => {
    const found = get(source.container, source.key);
    removeKey(source.container, source.key);
    return found;
  });
  const path = stringField(op, 'path', `move operation failed to decode path: ${MISSING}`);
  const target = findParent(root.doc, path);
  if (!target) {
    throw new JsonPatchApplyError(
      `move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`,
    );
  }
  wrap(`error in move for path: '${path}'`, () => insert(target.container, target.key, value ?? null));
}

function testValue(root: { doc: unknown }, op: JsonObject): void {
  const path = stringField(op, 'path', `test operation failed to decode path: ${MISSING}`);
  const expected = op.value;
  if (path === '') {
    if (!deepEqual(root.doc, expected)) throw new JsonPatchTestFailedError(path);
    return;
  }
  const target = findParent(root.doc, path);
  if (!target) throw new JsonPatchApplyError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
  const actual = wrap(`error in test for path: '${path}'`, () => get(target.container, target.key));
  if (actual === undefined || actual === null) {
    if (expected === undefined || expected === null) return;
    throw new JsonPatchTestFailedError(path);
  }
  if (expected === undefined || !deepEqual(actual, expected)) throw new JsonPatchTestFailedError(path);
}

function copy(root: { doc: unknown }, op: JsonObject): void {
  const from = stringField(op, 'from', `copy operation failed to decode from: ${MISSING}`);
  const source = findParent(root.doc, from);
  if (!source) {
    throw new JsonPatchApplyError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  }
  const value = wrap(`error in copy for from: '${from}'`, () => get(source.container, source.key));
  const path = stringField(op, 'path', `copy operation failed to decode path: ${MISSING}`);
  const target = findParent(root.doc, path);
  if (!target) {
    throw new JsonPatchApplyError(
      `copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`,
    );
  }
  wrap('error while adding value during copy', () => insert(target.container, target.key, cloneJson(value ?? null)));
}

/** An absent `value` member decodes to JSON null in v4. */
function valueOf(op: JsonObject): unknown {
  return op.value === undefined ? null : cloneJson(op.value);
}

function stringField(op: JsonObject, name: 'path' | 'from', missingMessage: string): string {
  const value = op[name];
  if (value === undefined || value === null) throw new JsonPatchApplyError(missingMessage);
  if (typeof value !== 'string') {
    throw new JsonPatchApplyError(`json: cannot unmarshal ${goJsonKind(value)} into Go value of type string`);
  }
  return value;
}

/** Decodes one RFC 6901 reference token (`~1` → `/`, `~0` → `~`, in one pass). */
export function decodePointerToken(token: string): string {
  return token.replace(/~[01]/g, (escape) => (escape === '~1' ? '/' : '~'));
}

/** Encodes one reference token, for building pointers from keys such as `app.kubernetes.io/name`. */
export function encodePointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Walks to the container holding the last token. Like v4, the text before the first `/` is
 * ignored, and null, scalar or missing intermediates mean "missing path".
 */
function findParent(doc: unknown, path: string): { container: Container; key: string } | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2 || !isContainer(doc)) return undefined;
  let container: Container = doc;
  for (const token of tokens.slice(1, -1)) {
    let next: unknown;
    try {
      next = get(container, decodePointerToken(token));
    } catch {
      return undefined;
    }
    if (!isContainer(next)) return undefined;
    container = next;
  }
  return { container, key: decodePointerToken(tokens[tokens.length - 1]!) };
}

function get(container: Container, key: string): unknown {
  if (!Array.isArray(container)) return hasOwn(container, key) ? container[key] : undefined;
  const index = parseIndex(key);
  const resolved = index < 0 ? index + container.length : index;
  if (index < -container.length || resolved >= container.length) {
    throw new JsonPatchApplyError(`Unable to access invalid index: ${index}: ${INVALID_INDEX}`);
  }
  return container[resolved];
}

function tryIndex(container: unknown[], key: string): number | undefined {
  try {
    get(container, key);
  } catch {
    return undefined;
  }
  const index = parseIndex(key);
  return index < 0 ? index + container.length : index;
}

function insert(container: Container, key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    setOwn(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let index: number;
  try {
    index = parseIndex(key);
  } catch (err) {
    throw new JsonPatchApplyError(`value was not a proper array index: '${key}': ${(err as Error).message}`);
  }
  const size = container.length + 1;
  if (index >= size || index < -size) {
    throw new JsonPatchApplyError(`Unable to access invalid index: ${index}: ${INVALID_INDEX}`);
  }
  container.splice(index < 0 ? index + size : index, 0, value);
}

function removeKey(container: Container, key: string): void {
  if (!Array.isArray(container)) {
    if (!hasOwn(container, key)) throw new JsonPatchApplyError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete container[key];
    return;
  }
  const index = parseIndex(key);
  if (index >= container.length || index < -container.length) {
    throw new JsonPatchApplyError(`Unable to access invalid index: ${index}: ${INVALID_INDEX}`);
  }
  container.splice(index < 0 ? index + container.length : index, 1);
}

/** Go's strconv.Atoi: optional sign, decimal digits only. */
function parseIndex(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new JsonPatchApplyError(`strconv.Atoi: parsing "${key}": invalid syntax`);
  const index = Number(key);
  if (!Number.isSafeInteger(index)) throw new JsonPatchApplyError(`strconv.Atoi: parsing "${key}": value out of range`);
  return index;
}

/** Prefixes the message of a failure inside a step, as v4's `fmt.Errorf("…: %w")` does. */
function wrap<T>(prefix: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof JsonPatchApplyError) throw new JsonPatchApplyError(`${prefix}: ${err.message}`);
    throw err;
  }
}
