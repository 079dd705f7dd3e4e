/**
 * Watches as kubectl uses them: `get -w` on a list and on one object, `wait --for=delete`, and a
 * finalizer holding a deleted object until it is patched away. Each kubectl carries its own
 * `--request-timeout`/`--timeout`, so a server that never answers ends the test instead of hanging it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
// Manifests are sent as JSON: a YAML 1.2 writer leaves strings like `y` unquoted, which kubectl's YAML 1.1 reader turns into booleans.
const manifestText = (obj: unknown): string => JSON.stringify(obj, null, 2);
import { startTestServer, type TestServer, type KubectlResult } from '../../src/testing/test-server.js';
import { StreamingKubectl } from './kubectl-process.js';
import { squeeze } from './kubectl-output.js';

function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** Matches a table row by its leading cells, ignoring the AGE column and spacing. */
function rowStarting(...cells: string[]): (line: string) => boolean {
  const prefix = cells.join(' ') + ' ';
  return (line) => (squeeze(line) + ' ').startsWith(prefix);
}

describe('kubectl watch', () => {
  let server: TestServer;
  const k = (args: string[], input?: string) => server.kubectl(args, { input });
  const running: StreamingKubectl[] = [];
  // Objects are made with `create -f` (dynamic client, JSON) rather than `create cm`, whose typed client sends protobuf.
  const createCm = (name: string, data: Record<string, string>) =>
    k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'w' }, data }));
  const watch = (args: string[]) => {
    const p = new StreamingKubectl(server, args);
    running.push(p);
    return p;
  };

  before(async () => {
    server = await startTestServer();
    ok(await k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } })), 'create ns');
    ok(await createCm('existing', { k: 'v' }), 'create existing');
  });
  after(async () => {
    for (const p of running) await p.kill();
    await server?.stop();
  });

  it('kubectl get cm -w prints the list, then a row per change', async () => {
    const w = watch(['get', 'cm', '-n', 'w', '-w', '--request-timeout=60s']);
    await w.nextLinesUntil((l) => squeeze(l) === 'NAME DATA AGE');
    await w.nextLinesUntil(rowStarting('existing', '1'));

    ok(await createCm('x', { a: '1' }), 'create x');
    await w.nextLinesUntil(rowStarting('x', '1'));
    ok(await k(['patch', 'cm', 'x', '-n', 'w', '--type=merge', '-p', '{"data":{"b":"2"}}']), 'patch x');
    await w.nextLinesUntil(rowStarting('x', '2'));
    ok(await k(['delete', 'cm', 'x', '-n', 'w']), 'delete x');
    // A deleted object is printed once more, as it was last seen.
    await w.nextLinesUntil(rowStarting('x', '2'));
    assert.ok(w.running, `kubectl get -w ended on its own:\n${w.transcript()}`);
    await w.kill();
  });

  it('kubectl get cm -w --output-watch-events names each event', async () => {
    const w = watch(['get', 'cm', '-n', 'w', '-w', '--output-watch-events', '--request-timeout=60s']);
    await w.nextLinesUntil((l) => squeeze(l) === 'EVENT NAME DATA AGE');
    await w.nextLinesUntil(rowStarting('ADDED', 'existing', '1'));

    ok(await createCm('ev', { a: '1' }), 'create ev');
    ok(await k(['patch', 'cm', 'ev', '-n', 'w', '--type=merge', '-p', '{"data":{"b":"2"}}']), 'patch ev');
    ok(await k(['delete', 'cm', 'ev', '-n', 'w']), 'delete ev');
    const seen = await w.nextLinesUntil(rowStarting('DELETED', 'ev', '2'));
    const events = seen.map(squeeze).filter((l) => l.split(' ')[1] === 'ev').map((l) => l.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(events, ['ADDED ev 1', 'MODIFIED ev 2', 'DELETED ev 2']);
    await w.kill();
  });

  it('kubectl get cm x -w follows only that object', async () => {
    ok(await createCm('solo', { a: '1' }), 'create solo');
    const w = watch(['get', 'cm', 'solo', '-n', 'w', '-w', '--request-timeout=60s']);
    await w.nextLinesUntil((l) => squeeze(l) === 'NAME DATA AGE');
    await w.nextLinesUntil(rowStarting('solo', '1'));

    ok(await createCm('other', { a: '1' }), 'create other');
    ok(await k(['patch', 'cm', 'other', '-n', 'w', '--type=merge', '-p', '{"data":{"b":"2"}}']), 'patch other');
    ok(await k(['patch', 'cm', 'solo', '-n', 'w', '--type=merge', '-p', '{"data":{"b":"2"}}']), 'patch solo');
    const seen = await w.nextLinesUntil(rowStarting('solo', '2'));
    // Events reach the watch in order, so anything about "other" would have come first.
    assert.deepEqual(
      seen.map(squeeze).map((l) => l.split(' ').slice(0, 2).join(' ')),
      ['solo 2'],
      `the single-object watch showed more than the object:\n${w.transcript()}`,
    );
    await w.kill();
  });

  it('a finalizer keeps a deleted object until it is removed; kubectl wait --for=delete then returns', async () => {
    const held = manifestText({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', namespace: 'w', finalizers: ['skiff.test/hold'] },
      data: { a: '1' },
    });
    ok(await k(['create', '-f', '-'], held), 'create held');
    assert.equal(ok(await k(['delete', 'cm', 'held', '-n', 'w', '--wait=false']), 'delete held').trim(), 'configmap "held" deleted');

    const stillThere = JSON.parse(ok(await k(['get', 'cm', 'held', '-n', 'w', '-o', 'json']), 'get held'));
    assert.match(stillThere.metadata.deletionTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(stillThere.metadata.finalizers, ['skiff.test/hold']);
    assert.equal(stillThere.metadata.deletionGracePeriodSeconds, 0);

    const blocked = await k(['patch', 'cm', 'held', '-n', 'w', '--type=merge', '-p', '{"metadata":{"finalizers":["skiff.test/hold","skiff.test/more"]}}']);
    assert.equal(blocked.code, 1, 'no new finalizers once deletion started');
    assert.match(blocked.stderr, /Forbidden: no new finalizers can be added if the object is being deleted/);

    // -v=6 logs each response, so the test knows the watch is open before it lets the object go;
    // a wait started after the object is gone succeeds silently.
    const waiter = watch(['wait', '--for=delete', 'cm/held', '-n', 'w', '--timeout=20s', '-v=6']);
    await waiter.nextLinesUntil(/watch=true.*200 OK/, 'stderr');
    assert.equal(
      ok(await k(['patch', 'cm', 'held', '-n', 'w', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']), 'drop finalizer').trim(),
      'configmap/held patched',
    );
    const exit = await waiter.exited;
    assert.equal(exit.code, 0, waiter.transcript());
    assert.deepEqual(waiter.output().filter((l) => l !== ''), ['configmap/held condition met']);
    const gone = await k(['get', 'cm', 'held', '-n', 'w']);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): configmaps "held" not found');
  });

  it('kubectl wait --for=delete times out while a finalizer holds the object', async () => {
    const held = manifestText({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stuck', namespace: 'w', finalizers: ['skiff.test/hold'] } });
    ok(await k(['create', '-f', '-'], held), 'create stuck');
    ok(await k(['delete', 'cm', 'stuck', '-n', 'w', '--wait=false']), 'delete stuck');
    const r = await k(['wait', '--for=delete', 'cm/stuck', '-n', 'w', '--timeout=2s']);
    assert.equal(r.code, 1);
    // client-go may log its own watch teardown before kubectl's verdict; the verdict is the last line.
    assert.equal(r.stderr.trim().split('\n').at(-1), 'error: timed out waiting for the condition on configmaps/stuck');
    ok(await k(['patch', 'cm', 'stuck', '-n', 'w', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']), 'drop finalizer');
    ok(await k(['wait', '--for=delete', 'cm/stuck', '-n', 'w', '--timeout=20s']), 'wait after finalizer removal');
  });
});
