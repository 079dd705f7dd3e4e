/**
 * The oldest and newest supported kubectl minors besides the default one: `get ns`, `apply -f`
 * and `get deploy` must look the same to users of kubectl 1.31 and 1.33.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
// Manifests are sent as JSON: a YAML 1.2 writer leaves strings like `y` unquoted, which kubectl's YAML 1.1 reader turns into booleans.
const manifestText = (obj: unknown): string => JSON.stringify(obj, null, 2);
import { startTestServer, type TestServer, type KubectlResult } from '../../src/testing/test-server.js';
import { versionedKubectl } from './kubectl-binaries.js';
import { header, rowNamed } from './kubectl-output.js';

function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

const VERSIONS = ['1.31', '1.33'];

describe('kubectl minor versions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, () => {
      const binary = versionedKubectl(version);
      const name = `web-${version.replace('.', '-')}`;
      const k = (args: string[], input?: string) => server.kubectl(args, { input, binary });
      const skip = binary ? false : `kubectl.${version} is not installed beside kubectl`;

      it('is the version it claims to be', { skip }, async () => {
        const out = JSON.parse(ok(await k(['version', '-o', 'json']), 'version'));
        assert.equal(out.clientVersion.minor, version.split('.')[1]);
        assert.equal(out.serverVersion.gitVersion, 'v1.32.0+skiff');
      });

      it('get ns', { skip }, async () => {
        const out = ok(await k(['get', 'ns']), 'get ns');
        assert.deepEqual(header(out), ['NAME', 'STATUS', 'AGE']);
        for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.equal(rowNamed(out, ns)?.[1], 'Active', `${ns}:\n${out}`);
      });

      it('apply -f creates, then reports unchanged', { skip }, async () => {
        const manifest = manifestText({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, labels: { app: name } },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
          },
        });
        assert.equal(ok(await k(['apply', '-f', '-'], manifest), 'apply').trim(), `deployment.apps/${name} created`);
        assert.equal(ok(await k(['apply', '-f', '-'], manifest), 'reapply').trim(), `deployment.apps/${name} unchanged`);
        assert.equal(ok(await k(['apply', '--server-side', '-f', '-'], manifest), 'apply --server-side').trim(), `deployment.apps/${name} serverside-applied`);
      });

      it('get deploy', { skip }, async () => {
        const out = ok(await k(['get', 'deploy', name]), 'get deploy');
        assert.deepEqual(header(out), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
        assert.equal(rowNamed(out, name)?.[1], '0/2');
        const wide = ok(await k(['get', 'deploy', name, '-o', 'wide']), 'get deploy -o wide');
        assert.deepEqual(rowNamed(wide, name)?.slice(5), ['c', 'nginx:1', `app=${name}`]);
      });
    });
  }
});
