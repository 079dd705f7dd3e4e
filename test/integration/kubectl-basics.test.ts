/**
 * The everyday kubectl commands against a real `skiff server`, asserting what the user sees:
 * exit codes, table headers, rows and the exact upstream messages.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startTestServer, type TestServer, type KubectlResult } from '../../src/testing/test-server.js';
import { header, lines, names, rowNamed, squeeze, tableRows } from './kubectl-output.js';

function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

function failed(r: KubectlResult, what: string): string {
  assert.notEqual(r.code, 0, `${what} should have failed\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stderr;
}

/** What `kubectl create deployment web --image=nginx -- sleep 1` sends, so later tests do not depend on the typed client. */
const webDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', command: ['sleep', '1'] }] } },
  },
};

function manifest(obj: unknown): string {
  return JSON.stringify(obj);
}

describe('kubectl basics', () => {
  let server: TestServer;
  const k = (...args: (string | { input: string })[]) => {
    const last = args[args.length - 1];
    return typeof last === 'object' ? server.kubectl(args.slice(0, -1) as string[], last) : server.kubectl(args as string[]);
  };
  const jsonpath = async (args: string[], path: string) => ok(await k(...args, '-o', `jsonpath=${path}`), `jsonpath ${path}`);

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('kubectl version -o json reports the server as v1.32.0+skiff', async () => {
    const out = JSON.parse(ok(await k('version', '-o', 'json'), 'version'));
    assert.equal(out.serverVersion.gitVersion, 'v1.32.0+skiff');
    assert.equal(out.serverVersion.major, '1');
    assert.equal(out.serverVersion.minor, '32');
  });

  it('kubectl get ns lists the four system namespaces as Active', async () => {
    const out = ok(await k('get', 'ns'), 'get ns');
    assert.deepEqual(header(out), ['NAME', 'STATUS', 'AGE']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const row = rowNamed(out, ns);
      assert.ok(row, `namespace ${ns} missing:\n${out}`);
      assert.equal(row[1], 'Active', `status of ${ns}`);
    }
  });

  it('kubectl api-resources prints discovery', async () => {
    const out = ok(await k('api-resources'), 'api-resources');
    const rows = lines(out).map(squeeze);
    assert.equal(rows[0], 'NAME SHORTNAMES APIVERSION NAMESPACED KIND');
    for (const expected of [
      'deployments deploy apps/v1 true Deployment',
      'pods po v1 true Pod',
      'namespaces ns v1 false Namespace',
      'configmaps cm v1 true ConfigMap',
    ]) {
      assert.ok(rows.includes(expected), `api-resources lacks "${expected}":\n${out}`);
    }
  });

  it('kubectl get endpoint is an unknown resource type (the singular of endpoints is endpoints)', async () => {
    const r = await k('get', 'endpoint');
    assert.equal(r.code, 1);
    assert.ok(lines(r.stderr).includes('error: the server doesn\'t have a resource type "endpoint"'), r.stderr);
  });

  it('kubectl create ns / configmap / deployment (typed clients; kubectl 1.32+ send protobuf bodies)', async () => {
    assert.equal(ok(await k('create', 'ns', 'green'), 'create ns').trim(), 'namespace/green created');
    assert.equal(ok(await k('create', 'configmap', 'made', '--from-literal=a=b', '-n', 'green'), 'create cm').trim(), 'configmap/made created');
    assert.equal(await jsonpath(['get', 'cm', 'made', '-n', 'green'], '{.data.a}'), 'b');
    assert.equal(ok(await k('create', 'deployment', 'made', '--image=nginx', '-n', 'green', '--', 'sleep', '1'), 'create deployment').trim(), 'deployment.apps/made created');
    assert.equal(await jsonpath(['get', 'deploy', 'made', '-n', 'green'], '{.spec.template.spec.containers[0].command}'), '["sleep","1"]');
    const out = ok(await k('get', 'deploy', '-n', 'green', '-o', 'wide'), 'get deploy -o wide');
    assert.deepEqual(rowNamed(out, 'made')?.slice(5), ['nginx', 'nginx', 'app=made']);
  });

  it('kubectl create -f makes a namespace and a configmap', async () => {
    assert.equal(ok(await k('create', '-f', '-', { input: manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blue' } }) }), 'create -f ns').trim(), 'namespace/blue created');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my-cm', namespace: 'blue' }, data: { a: 'b' } };
    assert.equal(ok(await k('create', '-f', '-', { input: manifest(cm) }), 'create -f cm').trim(), 'configmap/my-cm created');
    const out = ok(await k('get', 'cm', '-n', 'blue'), 'get cm');
    assert.deepEqual(header(out), ['NAME', 'DATA', 'AGE']);
    assert.deepEqual(rowNamed(out, 'my-cm')?.slice(0, 2), ['my-cm', '1']);
  });

  it('creating an existing object is AlreadyExists', async () => {
    const r = await k('create', '-f', '-', { input: manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blue' } }) });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (AlreadyExists): error when creating "STDIN": namespaces "blue" already exists');
  });

  it('kubectl get cm -A adds the NAMESPACE column', async () => {
    const out = ok(await k('get', 'cm', '-A'), 'get cm -A');
    assert.deepEqual(header(out), ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    assert.ok(tableRows(out).some((r) => r[0] === 'blue' && r[1] === 'my-cm' && r[2] === '1'), out);
  });

  const outputCases: { name: string; format: string; check: (out: string) => void }[] = [
    {
      name: 'yaml',
      format: 'yaml',
      check: (out) => {
        const cm = parseYaml(out);
        assert.equal(cm.apiVersion, 'v1');
        assert.equal(cm.kind, 'ConfigMap');
        assert.deepEqual(cm.data, { a: 'b' });
        assert.equal(cm.metadata.name, 'my-cm');
        assert.equal(cm.metadata.namespace, 'blue');
        assert.match(cm.metadata.uid, /^[0-9a-f-]{36}$/);
        assert.match(cm.metadata.resourceVersion, /^\d+$/);
        assert.match(cm.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(cm.metadata.managedFields, undefined, 'kubectl hides managedFields unless asked');
      },
    },
    {
      name: 'json',
      format: 'json',
      check: (out) => {
        const cm = JSON.parse(out);
        assert.equal(cm.kind, 'ConfigMap');
        assert.deepEqual(cm.data, { a: 'b' });
        assert.equal(cm.metadata.namespace, 'blue');
      },
    },
    { name: 'name', format: 'name', check: (out) => assert.equal(out, 'configmap/my-cm\n') },
    { name: 'jsonpath', format: 'jsonpath={.data.a}', check: (out) => assert.equal(out, 'b') },
    {
      name: 'custom-columns',
      format: 'custom-columns=NAME:.metadata.name,A:.data.a,NS:.metadata.namespace',
      check: (out) => assert.deepEqual(tableRows(out), [['NAME', 'A', 'NS'], ['my-cm', 'b', 'blue']]),
    },
  ];
  for (const c of outputCases) {
    it(`kubectl get cm my-cm -o ${c.name}`, async () => {
      c.check(ok(await k('get', 'cm', 'my-cm', '-n', 'blue', '-o', c.format), `get -o ${c.format}`));
    });
  }

  it('kubectl get of a missing object is NotFound', async () => {
    const r = await k('get', 'cm', 'nope', '-n', 'blue');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): configmaps "nope" not found');
  });

  it('kubectl delete cm removes it', async () => {
    assert.equal(ok(await k('delete', 'cm', 'my-cm', '-n', 'blue'), 'delete').trim(), 'configmap "my-cm" deleted');
    const r = await k('get', 'cm', 'my-cm', '-n', 'blue');
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): configmaps "my-cm" not found');
  });

  it('a deployment like `kubectl create deployment web --image=nginx -- sleep 1` shows in get deploy', async () => {
    assert.equal(ok(await k('create', '-f', '-', { input: manifest(webDeployment) }), 'create -f deployment').trim(), 'deployment.apps/web created');
    const out = ok(await k('get', 'deploy'), 'get deploy');
    assert.deepEqual(header(out), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    const row = rowNamed(out, 'web');
    assert.ok(row, out);
    assert.equal(row[1], '0/1', 'no kubelet runs, so nothing is ready');
    assert.match(row[2]!, /^[01]$/);
    assert.equal(row[3], '0');
  });

  it('kubectl get deploy -o wide adds CONTAINERS IMAGES SELECTOR', async () => {
    const out = ok(await k('get', 'deploy', '-o', 'wide'), 'get deploy -o wide');
    assert.deepEqual(header(out), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual(rowNamed(out, 'web')?.slice(5), ['nginx', 'nginx', 'app=web']);
  });

  it('kubectl get all includes the deployment', async () => {
    const out = ok(await k('get', 'all'), 'get all');
    assert.ok(lines(out).some((l) => squeeze(l) === 'NAME READY UP-TO-DATE AVAILABLE AGE'), out);
    assert.ok(rowNamed(out, 'deployment.apps/web'), out);
  });

  it('kubectl explain deployment.spec.strategy prints the field docs', async () => {
    const out = ok(await k('explain', 'deployment.spec.strategy'), 'explain');
    assert.match(out, /^GROUP:\s+apps$/m);
    assert.match(out, /^KIND:\s+Deployment$/m);
    assert.match(out, /^VERSION:\s+v1$/m);
    assert.match(out, /^FIELD: strategy <DeploymentStrategy>$/m);
    assert.match(out, /The deployment strategy to use to replace existing pods with new ones\./);
    assert.match(out, /^\s+rollingUpdate\s+<RollingUpdateDeployment>$/m);
    assert.match(out, /^\s+type\s+<string>$/m);
    assert.match(out, /enum: Recreate, RollingUpdate/);
  });

  it('kubectl scale deploy web --replicas=3', async () => {
    assert.equal(ok(await k('scale', 'deploy', 'web', '--replicas=3'), 'scale').trim(), 'deployment.apps/web scaled');
    assert.equal(await jsonpath(['get', 'deploy', 'web'], '{.spec.replicas}'), '3');
  });

  it('kubectl label and annotate', async () => {
    assert.equal(ok(await k('label', 'deploy', 'web', 'tier=frontend'), 'label').trim(), 'deployment.apps/web labeled');
    assert.equal(ok(await k('annotate', 'deploy', 'web', 'note=hello'), 'annotate').trim(), 'deployment.apps/web annotated');
    assert.equal(await jsonpath(['get', 'deploy', 'web'], '{.metadata.labels.tier}'), 'frontend');
    assert.equal(await jsonpath(['get', 'deploy', 'web'], '{.metadata.annotations.note}'), 'hello');
    assert.equal(ok(await k('label', 'deploy', 'web', 'tier-'), 'unlabel').trim(), 'deployment.apps/web unlabeled');
    assert.equal(await jsonpath(['get', 'deploy', 'web'], '{.metadata.labels.tier}'), '');
  });

  it('kubectl set image merges the container by name (strategic merge)', async () => {
    assert.equal(ok(await k('set', 'image', 'deploy/web', 'nginx=nginx:2'), 'set image').trim(), 'deployment.apps/web image updated');
    assert.equal(await jsonpath(['get', 'deploy', 'web'], '{.spec.template.spec.containers[0].image}'), 'nginx:2');
    assert.equal(await jsonpath(['get', 'deploy', 'web'], '{.spec.template.spec.containers[0].command}'), '["sleep","1"]');
  });

  const patchCases: { type: string; patch: string; path: string; expected: string }[] = [
    { type: 'merge', patch: '{"metadata":{"labels":{"patched":"merge"}}}', path: '{.metadata.labels.patched}', expected: 'merge' },
    { type: 'json', patch: '[{"op":"replace","path":"/spec/replicas","value":2}]', path: '{.spec.replicas}', expected: '2' },
    {
      type: 'strategic',
      patch: '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}',
      path: '{.spec.template.spec.containers[*].name}',
      // Without $setElementOrder upstream puts the patch's items first, then the server-only ones.
      expected: 'sidecar nginx',
    },
  ];
  for (const c of patchCases) {
    it(`kubectl patch --type=${c.type}`, async () => {
      assert.equal(ok(await k('patch', 'deploy', 'web', `--type=${c.type}`, '-p', c.patch), `patch ${c.type}`).trim(), 'deployment.apps/web patched');
      assert.equal(await jsonpath(['get', 'deploy', 'web'], c.path), c.expected);
    });
  }

  it('kubectl patch that changes nothing says (no change)', async () => {
    const out = ok(await k('patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":2}}'), 'no-op patch');
    assert.equal(out.trim(), 'deployment.apps/web patched (no change)');
  });

  it('kubectl get --chunk-size=2 follows continue tokens to all 5 configmaps', async () => {
    ok(await k('create', '-f', '-', { input: manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'chunks' } }) }), 'create ns chunks');
    for (let i = 1; i <= 5; i++) {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `chunk-${i}`, namespace: 'chunks' }, data: { i: String(i) } };
      ok(await k('create', '-f', '-', { input: manifest(cm) }), `create chunk-${i}`);
    }
    const table = ok(await k('get', 'cm', '-n', 'chunks', '--chunk-size=2'), 'get --chunk-size');
    assert.equal(lines(table).filter((l) => squeeze(l) === 'NAME DATA AGE').length, 1, `one header across chunks:\n${table}`);
    assert.deepEqual(
      names(table).filter((n) => n.startsWith('chunk-')),
      ['chunk-1', 'chunk-2', 'chunk-3', 'chunk-4', 'chunk-5'],
    );
    const named = ok(await k('get', 'cm', '-n', 'chunks', '--chunk-size=2', '-o', 'name'), 'get --chunk-size -o name');
    assert.deepEqual(
      lines(named).filter((n) => n.startsWith('configmap/chunk-')),
      ['configmap/chunk-1', 'configmap/chunk-2', 'configmap/chunk-3', 'configmap/chunk-4', 'configmap/chunk-5'],
    );
  });

  describe('selectors', () => {
    const objects: { name: string; labels: Record<string, string> }[] = [
      { name: 's1', labels: { a: 'x' } },
      { name: 's2', labels: { a: 'y', b: '1' } },
      { name: 's3', labels: { a: 'z' } },
      { name: 's4', labels: {} },
    ];
    before(async () => {
      ok(await k('create', '-f', '-', { input: manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sel' } }) }), 'create ns sel');
      for (const o of objects) {
        const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: o.name, namespace: 'sel', labels: o.labels } };
        ok(await k('create', '-f', '-', { input: manifest(cm) }), `create ${o.name}`);
      }
    });
    const cases: { flags: string[]; expected: string[] }[] = [
      { flags: ['-l', 'a in (x,y)'], expected: ['s1', 's2'] },
      { flags: ['-l', '!b'], expected: ['s1', 's3', 's4'] },
      { flags: ['-l', 'a!=x'], expected: ['s2', 's3', 's4'] },
      { flags: ['-l', 'a notin (x,z)'], expected: ['s2', 's4'] },
      { flags: ['-l', 'a'], expected: ['s1', 's2', 's3'] },
      { flags: ['-l', 'a=y,b=1'], expected: ['s2'] },
      { flags: ['--field-selector', 'metadata.name=s3'], expected: ['s3'] },
      { flags: ['--field-selector', 'metadata.name!=s3', '-l', 'a'], expected: ['s1', 's2'] },
    ];
    for (const c of cases) {
      it(`kubectl get cm ${c.flags.join(' ')}`, async () => {
        const out = ok(await k('get', 'cm', '-n', 'sel', ...c.flags), `get ${c.flags.join(' ')}`);
        assert.deepEqual(header(out), ['NAME', 'DATA', 'AGE']);
        assert.deepEqual(names(out).filter((n) => /^s\d$/.test(n)), c.expected);
      });
    }
    it('a selector that matches nothing says No resources found', async () => {
      const r = await k('get', 'cm', '-n', 'sel', '-l', 'a=none');
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim(), 'No resources found in sel namespace.');
    });
  });

  it('kubectl delete --wait returns after the object is gone', async () => {
    const out = ok(await k('delete', 'cm', 's1', '-n', 'sel', '--wait=true', '--timeout=20s'), 'delete --wait');
    assert.equal(out.trim(), 'configmap "s1" deleted');
    const r = await k('get', 'cm', 's1', '-n', 'sel');
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): configmaps "s1" not found');
  });

  it('kubectl delete deploy --wait', async () => {
    assert.equal(ok(await k('delete', 'deploy', 'web', '--wait=true', '--timeout=20s'), 'delete deploy').trim(), 'deployment.apps "web" deleted');
    const r = await k('get', 'deploy', 'web');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): deployments.apps "web" not found');
  });
});
