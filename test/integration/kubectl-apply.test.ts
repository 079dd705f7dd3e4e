/**
 * kubectl apply (client- and server-side), diff, replace, edit, dry runs and the server's
 * validation and conflict answers, as a user sees them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
// Manifests are sent as JSON: a YAML 1.2 writer leaves strings like `y` unquoted, which kubectl's YAML 1.1 reader turns into booleans.
const manifestText = (obj: unknown): string => JSON.stringify(obj, null, 2);
import { startTestServer, type TestServer, type KubectlResult } from '../../src/testing/test-server.js';

function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
}

function deployment(opts: { labels: Record<string, string>; env: { name: string; value: string }[]; replicas?: number }): string {
  return manifestText({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', labels: opts.labels },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: { containers: [{ name: 'main', image: 'nginx:1', env: opts.env }] },
      },
    },
  });
}

function configMap(name: string, data: Record<string, string>, extra: Record<string, unknown> = {}): string {
  return manifestText({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data });
}

describe('kubectl apply and friends', () => {
  let server: TestServer;
  const k = (args: string[], input?: string, env?: Record<string, string>) => server.kubectl(args, { input, env });
  const jsonpath = async (args: string[], path: string) => ok(await k([...args, '-o', `jsonpath=${path}`]), `jsonpath ${path}`);
  const managedFields = async (name: string): Promise<ManagedFieldsEntry[]> =>
    JSON.parse(ok(await k(['get', 'cm', name, '-o', 'json', '--show-managed-fields']), 'get managedFields')).metadata.managedFields ?? [];

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  describe('client-side apply', () => {
    const full = deployment({
      labels: { app: 'app', keep: 'kept', drop: 'me' },
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    const steps: { what: string; manifest: string; expected: string; check?: () => Promise<void> }[] = [
      {
        what: 'creates the object with the last-applied annotation',
        manifest: full,
        expected: 'deployment.apps/app created',
        check: async () => {
          const lastApplied = await jsonpath(['get', 'deploy', 'app'], '{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}');
          assert.equal(JSON.parse(lastApplied).metadata.labels.drop, 'me');
        },
      },
      { what: 're-applying the same manifest changes nothing', manifest: full, expected: 'deployment.apps/app unchanged' },
      {
        what: 'an env entry and a label removed from the manifest are pruned',
        manifest: deployment({ labels: { app: 'app', keep: 'kept' }, env: [{ name: 'A', value: '1' }] }),
        expected: 'deployment.apps/app configured',
        check: async () => {
          assert.equal(await jsonpath(['get', 'deploy', 'app'], '{.spec.template.spec.containers[0].env[*].name}'), 'A');
          assert.equal(await jsonpath(['get', 'deploy', 'app'], '{.metadata.labels}'), '{"app":"app","keep":"kept"}');
        },
      },
    ];
    for (const s of steps) {
      it(s.what, async () => {
        assert.equal(ok(await k(['apply', '-f', '-'], s.manifest), 'apply').trim(), s.expected);
        await s.check?.();
      });
    }

    it('kubectl edit with a sed EDITOR changes spec.replicas', async () => {
      const editor = "sed -i '0,/^  replicas: 1$/s//  replicas: 2/'";
      const r = await k(['edit', 'deploy', 'app'], undefined, { EDITOR: editor, KUBE_EDITOR: editor });
      assert.equal(ok(r, 'edit').trim(), 'deployment.apps/app edited');
      assert.equal(await jsonpath(['get', 'deploy', 'app'], '{.spec.replicas}'), '2');
    });
  });

  describe('server-side apply', () => {
    it('creates the object owned by manager kubectl', async () => {
      assert.equal(ok(await k(['apply', '--server-side', '-f', '-'], configMap('ssa', { a: '1' })), 'apply --server-side').trim(), 'configmap/ssa serverside-applied');
      const entries = await managedFields('ssa');
      assert.deepEqual(
        entries.map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsType]),
        [['kubectl', 'Apply', 'v1', 'FieldsV1']],
      );
      assert.deepEqual(entries[0]!.fieldsV1, { 'f:data': { 'f:a': {} } });
    });

    it('re-applying unchanged keeps a single manager', async () => {
      assert.equal(ok(await k(['apply', '--server-side', '-f', '-'], configMap('ssa', { a: '1' })), 'reapply').trim(), 'configmap/ssa serverside-applied');
      assert.deepEqual((await managedFields('ssa')).map((e) => e.manager), ['kubectl']);
    });

    it('a conflicting apply from another manager fails naming the owner', async () => {
      const r = await k(['apply', '--server-side', '--field-manager=other', '-f', '-'], configMap('ssa', { a: '2' }));
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.a/);
      assert.equal(await jsonpath(['get', 'cm', 'ssa'], '{.data.a}'), '1');
    });

    it('--force-conflicts takes the field over', async () => {
      const r = await k(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], configMap('ssa', { a: '2' }));
      assert.equal(ok(r, 'force apply').trim(), 'configmap/ssa serverside-applied');
      assert.equal(await jsonpath(['get', 'cm', 'ssa'], '{.data.a}'), '2');
      const owners = (await managedFields('ssa')).filter((e) => JSON.stringify(e.fieldsV1).includes('"f:a"')).map((e) => e.manager);
      assert.deepEqual(owners, ['other']);
    });
  });

  it('kubectl diff exits 1 and prints a unified diff', async () => {
    const r = await k(['diff', '-f', '-'], configMap('ssa', { a: '3' }));
    assert.equal(r.code, 1, `stderr: ${r.stderr}`);
    assert.match(r.stdout, /^-  a: "2"$/m);
    assert.match(r.stdout, /^\+  a: "3"$/m);
    assert.equal(await jsonpath(['get', 'cm', 'ssa'], '{.data.a}'), '2', 'diff must not change the object');
  });

  it('kubectl diff of an identical object exits 0 with no output', async () => {
    ok(await k(['apply', '-f', '-'], configMap('same', { x: 'y' })), 'apply same');
    const r = await k(['diff', '-f', '-'], configMap('same', { x: 'y' }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('kubectl replace -f', async () => {
    assert.equal(ok(await k(['replace', '-f', '-'], configMap('ssa', { a: '4' })), 'replace').trim(), 'configmap/ssa replaced');
    assert.equal(await jsonpath(['get', 'cm', 'ssa'], '{.data}'), '{"a":"4"}');
  });

  it('kubectl replace of a stale copy is a 409 Conflict', async () => {
    const stale = ok(await k(['get', 'cm', 'ssa', '-o', 'yaml']), 'get stale copy');
    ok(await k(['label', 'cm', 'ssa', 'touched=yes']), 'touch');
    const r = await k(['replace', '-f', '-'], stale.replace('a: "4"', 'a: "5"'));
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Error from server \(Conflict\): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "ssa": the object has been modified; please apply your changes to the latest version and try again/,
    );
    assert.equal(await jsonpath(['get', 'cm', 'ssa'], '{.data.a}'), '4');
  });

  const dryRuns: { what: string; args: string[]; input?: string; expected: string; name: string }[] = [
    { what: 'create', args: ['create', '--dry-run=server', '-f', '-'], input: configMap('dry1', { x: 'y' }), expected: 'configmap/dry1 created (server dry run)', name: 'dry1' },
    { what: 'apply', args: ['apply', '--dry-run=server', '-f', '-'], input: configMap('dry2', { x: 'y' }), expected: 'configmap/dry2 created (server dry run)', name: 'dry2' },
    {
      what: 'server-side apply',
      args: ['apply', '--server-side', '--dry-run=server', '-f', '-'],
      input: configMap('dry3', { x: 'y' }),
      expected: 'configmap/dry3 serverside-applied (server dry run)',
      name: 'dry3',
    },
  ];
  for (const d of dryRuns) {
    it(`--dry-run=server ${d.what} creates nothing`, async () => {
      assert.equal(ok(await k(d.args, d.input), d.what).trim(), d.expected);
      const r = await k(['get', 'cm', d.name]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `Error from server (NotFound): configmaps "${d.name}" not found`);
    });
  }

  it('strict field validation rejects spec.replicas on a DaemonSet', async () => {
    const ds = manifestText({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'ds' } },
        template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const r = await k(['apply', '-f', '-'], ds);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /strict decoding error: unknown field "spec\.replicas"/);
    assert.equal((await k(['get', 'ds', 'ds'])).code, 1, 'nothing was created');
  });

  it('an invalid Deployment (selector does not match labels) is a 422 with the upstream message', async () => {
    const bad = manifestText({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    // kubectl rebuilds Invalid errors from Status.details (kind, name, causes), for create and apply alike.
    const expected = 'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`';
    for (const verb of ['create', 'apply']) {
      const r = await k([verb, '-f', '-'], bad);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.stderr.trim(), expected, verb);
    }
    assert.equal((await k(['get', 'deploy', 'bad'])).code, 1, 'nothing was created');
  });
});
