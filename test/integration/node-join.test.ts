/**
 * Secure node join against a real `skiff server`: a join token from `skiff token create`, the
 * kubelet TLS bootstrap module (the agent itself needs root for containers), the auto-approved
 * and signed CertificateSigningRequest, the node identity of the resulting certificate as the
 * real kubectl sees it, and the CA pin refusing a server it does not match.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/base/logger.js';
import { realClock } from '../../src/base/clock.js';
import { SKIFF_BIN, startTestServer, type KubectlResult, type TestServer } from '../../src/testing/test-server.js';
import { ApiClient } from '../../src/client/client.js';
import { Resources } from '../../src/client/resources.js';
import { bootstrapNodeCredentials, CaPinError, caCertHash, RotatingTransport, startClientCertificateRotation, kubeletKubeconfigPath, parseJoinToken, pkiDir } from '../../src/kubelet/bootstrap/index.js';

function run(file: string, args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(file, args, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

describe('secure node join', () => {
  let server: TestServer;
  let dir: string;
  let fullToken: string;
  let plainToken: string;
  const skiff = (...args: string[]) => run(process.execPath, [SKIFF_BIN, ...args, '--kubeconfig', server.kubeconfig]);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-node-join-'));
    server = await startTestServer();
    const created = await skiff('token', 'create', '--ttl', '1h');
    plainToken = ok(created, 'token create').trim();
    fullToken = /join token \(pins the cluster CA\): (\S+)/.exec(created.stderr)?.[1] ?? '';
    assert.match(fullToken, /^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}$/);
    assert.equal(parseJoinToken(fullToken).bootstrapToken, plainToken);
    assert.equal(ok(await skiff('token', 'create', '--full'), 'token create --full').trim().slice(0, 67), fullToken.slice(0, 67));
  });

  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('obtains an auto-approved node client certificate that authenticates as system:node:<name>', async () => {
    const dataDir = join(dir, 'node-a');
    const creds = await bootstrapNodeCredentials({ server: server.url, token: fullToken, dataDir, nodeName: 'node-a', clock: realClock, log: silentLogger });
    assert.ok(creds.csrName);
    const csr = JSON.parse(ok(await server.kubectl(['get', 'csr', creds.csrName, '-o', 'json']), 'get csr')) as {
      spec: { username: string; signerName: string; groups: string[] };
      status: { conditions: { type: string; reason: string }[]; certificate: string };
    };
    assert.equal(csr.spec.signerName, 'kubernetes.io/kube-apiserver-client-kubelet');
    assert.match(csr.spec.username, /^system:bootstrap:[a-z0-9]{6}$/);
    assert.ok(csr.spec.groups.includes('system:bootstrappers'));
    assert.deepEqual(csr.status.conditions.map((c) => [c.type, c.reason]), [['Approved', 'AutoApproved']]);
    assert.equal(Buffer.from(csr.status.certificate, 'base64').toString(), creds.cert);

    for (const f of ['kubelet-client.key', 'kubelet-client.crt']) assert.equal((await stat(join(pkiDir(dataDir), f))).mode & 0o777, 0o600, f);

    const kc = kubeletKubeconfigPath(dataDir);
    const who = ok(await server.kubectl(['auth', 'whoami'], { env: { KUBECONFIG: kc } }), 'whoami as node');
    assert.match(who, /Username\s+system:node:node-a\n/);
    assert.match(who, /Groups\s+\[system:nodes system:authenticated\]/);

    // A node may create its own Node object but not touch another node's.
    const node = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    ok(await server.kubectl(['create', '-f', '-'], { input: node('node-a'), env: { KUBECONFIG: kc } }), 'create own node');
    ok(await server.kubectl(['create', '-f', '-'], { input: node('node-b') }), 'admin creates node-b');
    const other = await server.kubectl(['label', 'node', 'node-b', 'x=y'], { env: { KUBECONFIG: kc } });
    assert.notEqual(other.code, 0, other.stdout);
    assert.match(other.stderr, /Forbidden|forbidden/);
    ok(await server.kubectl(['annotate', 'node', 'node-a', 'skiff.test/joined=yes'], { env: { KUBECONFIG: kc } }), 'annotate own node');
  });

  it('reuses a stored certificate on restart without a token', async () => {
    const dataDir = join(dir, 'node-a');
    const before = await readFile(join(pkiDir(dataDir), 'kubelet-client.crt'), 'utf8');
    const again = await bootstrapNodeCredentials({ server: server.url, dataDir, nodeName: 'node-a', clock: realClock, log: silentLogger });
    assert.equal(again.csrName, undefined);
    assert.equal(again.cert, before);
  });

  it('rotates: a node renews its own certificate with the current one, and the transport switches', async () => {
    const dataDir = join(dir, 'node-a');
    const creds = await bootstrapNodeCredentials({ server: server.url, dataDir, nodeName: 'node-a', clock: realClock, log: silentLogger });
    const transport = new RotatingTransport(creds);
    let rotated: string | undefined;
    const done = new Promise<void>((resolve) => {
      // random 0 with a clock far past the deadline makes the first rotation due at once.
      const clock = { ...realClock, now: () => realClock.now() + 3650 * 86_400_000 };
      const rotation = startClientCertificateRotation({ credentials: creds, transport, dataDir, nodeName: 'node-a', clock, log: silentLogger, random: () => 0, onRotated: (c) => { rotated = c.cert; rotation.close(); resolve(); } });
    });
    await done;
    try {
      assert.ok(rotated && rotated !== creds.cert);
      assert.equal(await readFile(join(pkiDir(dataDir), 'kubelet-client.crt'), 'utf8'), rotated);
      const usernames = ok(await server.kubectl(['get', 'csr', '-o', 'jsonpath={range .items[*]}{.spec.username}/{.status.conditions[0].reason}{"\\n"}{end}']), 'list csr');
      assert.match(usernames, /^system:node:node-a\/AutoApproved$/m);
      const me = await new ApiClient(transport, 'test').get<{ metadata: { name: string } }>(Resources.nodes, undefined, 'node-a');
      assert.equal(me.metadata.name, 'node-a');
    } finally {
      transport.close();
    }
  });

  it('joins with a bare token, trusting the CA on first use', async () => {
    const creds = await bootstrapNodeCredentials({ server: server.url, token: plainToken, dataDir: join(dir, 'node-c'), nodeName: 'node-c', clock: realClock, log: silentLogger });
    assert.equal(caCertHash(creds.ca), caCertHash(await readFile(join(server.dataDir, 'tls', 'server-ca.crt'), 'utf8')));
  });

  it('refuses a server whose CA does not match the token before sending any request', async () => {
    const wrong = `K10${'0'.repeat(64)}::${plainToken}`;
    await assert.rejects(
      bootstrapNodeCredentials({ server: server.url, token: wrong, dataDir: join(dir, 'node-d'), nodeName: 'node-d', clock: realClock, log: silentLogger }),
      (err: unknown) => err instanceof CaPinError && /does not match the token's CA hash/.test(err.message),
    );
    const csrs = ok(await server.kubectl(['get', 'csr', '-o', 'jsonpath={range .items[*]}{.spec.username}{"\\n"}{end}']), 'list csr');
    assert.equal(csrs.trim().split('\n').length, 3, csrs);
    await assert.rejects(stat(join(dir, 'node-d', 'agent', 'pki', 'kubelet-client.crt')));
    // --server-ca given out of band is checked against the pin too.
    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, await readFile(join(server.dataDir, 'tls', 'server-ca.crt'), 'utf8'));
    await assert.rejects(
      bootstrapNodeCredentials({ server: server.url, token: wrong, serverCA: await readFile(caFile, 'utf8'), dataDir: join(dir, 'node-d'), nodeName: 'node-d', clock: realClock, log: silentLogger }),
      CaPinError,
    );
  });

  it('skiff certificate rotate re-issues the admin certificate from the same CA', async () => {
    const copy = join(dir, 'rotate-data');
    await run('cp', ['-r', server.dataDir, copy]);
    const oldAdmin = await readFile(join(copy, 'tls', 'client-admin.crt'), 'utf8');
    const out = ok(await run(process.execPath, [SKIFF_BIN, 'certificate', 'rotate', '--data-dir', copy]), 'certificate rotate');
    assert.match(out, /certificate for api-server rotated\ncertificate for admin rotated\n/);
    assert.notEqual(await readFile(join(copy, 'tls', 'client-admin.crt'), 'utf8'), oldAdmin);
    // The running server trusts the new admin certificate: same CA.
    const who = ok(await server.kubectl(['auth', 'whoami'], { env: { KUBECONFIG: join(copy, 'kubeconfig.yaml') } }), 'whoami with rotated admin');
    assert.match(who, /Username\s+system:admin\n/);
  });
});
