import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadX509 } from '../../api/pki/x509-lib.js';
import { startTestServer } from '../../testing/test-server.js';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function keyAndRequest(subject: string): Promise<{ key: string; request: string }> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const req = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: alg });
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { key, request: Buffer.from(req.toString('pem')).toString('base64') };
}

const csrYaml = (name: string, request: string) => JSON.stringify({
  apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
  spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86400, usages: ['client auth'] },
});

test('kubectl certificate approve issues a usable client certificate; deny issues none', async () => {
  const server = await startTestServer();
  try {
    const alice = await keyAndRequest('CN=alice, O=dev');
    await server.kubectl(['apply', '-f', '-'], { input: csrYaml('alice', alice.request) });
    const bob = await keyAndRequest('CN=bob');
    await server.kubectl(['apply', '-f', '-'], { input: csrYaml('bob', bob.request) });
    const listed = await server.kubectl(['get', 'csr']);
    assert.match(listed.stdout, /alice\s.*kubernetes\.io\/kube-apiserver-client\s.*Pending/);
    const created = JSON.parse((await server.kubectl(['get', 'csr', 'alice', '-o', 'json'])).stdout);
    assert.equal(created.spec.username, 'system:admin', 'the server records the requester');

    assert.match((await server.kubectl(['certificate', 'approve', 'alice'])).stdout, /alice approved/);
    assert.match((await server.kubectl(['certificate', 'deny', 'bob'])).stdout, /bob denied/);

    let cert = '';
    for (let i = 0; i < 200 && !cert; i++) {
      cert = (await server.kubectl(['get', 'csr', 'alice', '-o', 'jsonpath={.status.certificate}'])).stdout.trim();
      if (!cert) await sleep(50);
    }
    assert.ok(cert, 'certificate issued');
    const dir = server.dataDir;
    await writeFile(join(dir, 'alice.crt'), Buffer.from(cert, 'base64'));
    await writeFile(join(dir, 'alice.key'), alice.key);
    // Only alice's credentials: the admin kubeconfig's embedded certificate would win over flags.
    const whoami = await server.kubectl(
      ['auth', 'whoami', '--server', server.url, '--certificate-authority', join(dir, 'tls', 'server-ca.crt'), '--client-certificate', join(dir, 'alice.crt'), '--client-key', join(dir, 'alice.key')],
      { env: { KUBECONFIG: join(dir, 'none.yaml') } },
    );
    assert.match(whoami.stdout, /alice/, whoami.stderr);
    assert.match(whoami.stdout, /dev/);

    const denied = JSON.parse((await server.kubectl(['get', 'csr', 'bob', '-o', 'json'])).stdout);
    assert.equal(denied.status.conditions[0].type, 'Denied');
    assert.equal(denied.status.certificate, undefined);
    assert.match((await server.kubectl(['get', 'csr', 'bob'])).stdout, /Denied/);
  } finally {
    await server.stop();
  }
});
