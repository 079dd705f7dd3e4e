/**
 * The official client libraries against a real `skiff server`: the Python `kubernetes` package
 * (skipped when no interpreter has it) and @kubernetes/client-node 1.x.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { KubeConfig, CoreV1Api, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../../src/testing/test-server.js';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The first interpreter that can `import kubernetes` (pyenv shims may lack the Debian package). */
async function pythonWithKubernetes(): Promise<string | undefined> {
  for (const python of ['python3', '/usr/bin/python3']) {
    if ((await run(python, ['-c', 'import kubernetes'])).code === 0) return python;
  }
  return undefined;
}

const PYTHON_SCRIPT = `
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
core = client.CoreV1Api()
names = sorted(ns.metadata.name for ns in core.list_namespace().items)
body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python", labels={"lang": "python"}), data={"greeting": "hello"})
created = core.create_namespaced_config_map(namespace="default", body=body)
read = core.read_namespaced_config_map(name="from-python", namespace="default")
try:
    core.read_namespaced_config_map(name="absent", namespace="default")
    missing = None
except client.exceptions.ApiException as e:
    missing = {"status": e.status, "reason": e.reason, "body": json.loads(e.body)}
print(json.dumps({
    "namespaces": names,
    "created": {"name": created.metadata.name, "uid": created.metadata.uid, "rv": created.metadata.resource_version},
    "read": {"uid": read.metadata.uid, "data": read.data, "labels": read.metadata.labels},
    "missing": missing,
}))
`;

describe('client libraries', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('the official Python client lists namespaces and creates and reads a ConfigMap', async (t) => {
    const python = await pythonWithKubernetes();
    if (!python) {
      t.skip('no python3 with the "kubernetes" package (Debian: apt-get install python3-kubernetes)');
      return;
    }
    const r = await run(python, ['-c', PYTHON_SCRIPT, server.kubeconfig], server.env);
    assert.equal(r.code, 0, `python client failed:\n${r.stderr}`);
    const out = JSON.parse(r.stdout);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(out.namespaces.includes(ns), `namespace ${ns} missing: ${out.namespaces}`);
    assert.equal(out.created.name, 'from-python');
    assert.match(out.created.rv, /^\d+$/);
    assert.equal(out.read.uid, out.created.uid);
    assert.deepEqual(out.read.data, { greeting: 'hello' });
    assert.deepEqual(out.read.labels, { lang: 'python' });
    assert.equal(out.missing.status, 404);
    assert.equal(out.missing.reason, 'Not Found');
    assert.deepEqual(
      { kind: out.missing.body.kind, status: out.missing.body.status, reason: out.missing.body.reason, code: out.missing.body.code, message: out.missing.body.message },
      { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "absent" not found' },
    );
    const viaKubectl = await server.kubectl(['get', 'cm', 'from-python', '-o', 'jsonpath={.data.greeting}']);
    assert.equal(viaKubectl.stdout, 'hello');
  });

  describe('@kubernetes/client-node', () => {
    let kc: KubeConfig;
    let core: CoreV1Api;
    before(() => {
      kc = new KubeConfig();
      kc.loadFromFile(server.kubeconfig);
      core = kc.makeApiClient(CoreV1Api);
    });

    it('listNamespace returns the system namespaces', async () => {
      const list = await core.listNamespace();
      assert.equal(list.kind, 'NamespaceList');
      assert.equal(list.apiVersion, 'v1');
      assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
      const names = list.items.map((n) => n.metadata?.name);
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(names.includes(ns), `namespace ${ns} missing: ${names}`);
      assert.ok(list.items.every((n) => n.status?.phase === 'Active'));
    });

    it('createNamespacedConfigMap and readNamespacedConfigMap round-trip', async () => {
      const created = await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'from-node', labels: { lang: 'ts' } }, data: { k: 'v' } },
      });
      assert.equal(created.metadata?.name, 'from-node');
      assert.equal(created.metadata?.namespace, 'default');
      assert.ok(created.metadata?.creationTimestamp instanceof Date, 'creationTimestamp parses as a date');
      const read = await core.readNamespacedConfigMap({ name: 'from-node', namespace: 'default' });
      assert.equal(read.metadata?.uid, created.metadata?.uid);
      assert.deepEqual(read.data, { k: 'v' });
    });

    it('a missing object rejects with code 404 and a Status body', async () => {
      await assert.rejects(core.readNamespacedConfigMap({ name: 'absent', namespace: 'default' }), (err: { code?: number; body?: string }) => {
        assert.equal(err.code, 404);
        const status = JSON.parse(err.body!);
        assert.equal(status.reason, 'NotFound');
        assert.equal(status.message, 'configmaps "absent" not found');
        return true;
      });
    });

    it('a Watch on configmaps receives ADDED for existing and new objects', async () => {
      await core.createNamespace({ body: { metadata: { name: 'watched' } } });
      await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'before' }, data: { n: '1' } } });

      const events: { type: string; name: string }[] = [];
      let notify: () => void = () => {};
      let ended: unknown;
      const watch = new Watch(kc);
      const controller = await watch.watch(
        '/api/v1/namespaces/watched/configmaps',
        { timeoutSeconds: 60 },
        (type: string, obj: V1ConfigMap) => {
          events.push({ type, name: obj.metadata?.name ?? '' });
          notify();
        },
        (err: unknown) => {
          ended = err ?? 'watch ended';
          notify();
        },
      );
      // Waits are bounded by the server-side timeoutSeconds above, which ends the stream.
      const until = async (pred: () => boolean) => {
        while (!pred()) {
          if (ended !== undefined) throw new Error(`watch ended before expected events: ${String(ended)}; saw ${JSON.stringify(events)}`);
          await new Promise<void>((r) => (notify = r));
        }
      };
      try {
        await until(() => events.some((e) => e.name === 'before'));
        await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'after' }, data: { n: '2' } } });
        await until(() => events.some((e) => e.name === 'after'));
        assert.deepEqual(
          events.filter((e) => e.name === 'before' || e.name === 'after'),
          [
            { type: 'ADDED', name: 'before' },
            { type: 'ADDED', name: 'after' },
          ],
        );
      } finally {
        controller.abort();
      }
    });
  });
});
