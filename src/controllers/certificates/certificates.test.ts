import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import { createCA } from '../../api/pki/pki.js';
import { parseCertificateRequest } from '../../api/pki/certificate-request.js';
import { loadX509 } from '../../api/pki/x509-lib.js';
import { autoApproval } from './approval-rules.js';
import type { CsrFields } from './csr-conditions.js';
import { signCertificate } from './sign-certificate.js';
import { signerProblem } from './signer-rules.js';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function csrPem(subject: string, sans: { type: 'dns' | 'ip'; value: string }[] = []): Promise<string> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject, keys, signingAlgorithm: alg,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return req.toString('pem');
}

test('parseCertificateRequest reads subject and SANs and refuses other PEM', async () => {
  const parsed = await parseCertificateRequest(await csrPem('CN=system:node:n1, O=system:nodes', [{ type: 'dns', value: 'n1' }, { type: 'ip', value: '10.0.0.1' }]));
  assert.equal(parsed.commonName, 'system:node:n1');
  assert.deepEqual(parsed.organizations, ['system:nodes']);
  assert.deepEqual(parsed.dnsNames, ['n1']);
  assert.deepEqual(parsed.ipAddresses, ['10.0.0.1']);
  await assert.rejects(parseCertificateRequest('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /CERTIFICATE REQUEST/);
  await assert.rejects(parseCertificateRequest('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'), /malformed/);
});

test('signerProblem applies each signer\'s rules', async () => {
  const node = await parseCertificateRequest(await csrPem('CN=system:node:n1, O=system:nodes'));
  const nodeServing = await parseCertificateRequest(await csrPem('CN=system:node:n1, O=system:nodes', [{ type: 'dns', value: 'n1' }]));
  const alice = await parseCertificateRequest(await csrPem('CN=alice, O=dev'));
  const cases: [string, typeof node, string[], RegExp | undefined][] = [
    ['kubernetes.io/kube-apiserver-client', alice, ['client auth', 'digital signature'], undefined],
    ['kubernetes.io/kube-apiserver-client', alice, ['server auth'], /invalid usages/],
    ['kubernetes.io/kube-apiserver-client-kubelet', node, ['client auth', 'digital signature', 'key encipherment'], undefined],
    ['kubernetes.io/kube-apiserver-client-kubelet', alice, ['client auth'], /system:nodes/],
    ['kubernetes.io/kube-apiserver-client-kubelet', nodeServing, ['client auth'], /subjectAltNames/],
    ['kubernetes.io/kubelet-serving', nodeServing, ['server auth', 'digital signature'], undefined],
    ['kubernetes.io/kubelet-serving', node, ['server auth'], /DNS or IP/],
    ['example.com/other', alice, ['client auth'], /unknown signer/],
  ];
  for (const [signer, req, usages, want] of cases) {
    const got = signerProblem(signer, req, usages);
    if (want) assert.match(got ?? '', want, signer);
    else assert.equal(got, undefined, signer);
  }
});

test('signCertificate issues a certificate chaining to the CA with the requested subject and usages', async () => {
  const ca = await createCA('skiff-test-ca');
  const req = await parseCertificateRequest(await csrPem('CN=alice, O=dev, O=ops'));
  const now = Date.now();
  const pem = await signCertificate(ca, req, { usages: ['client auth', 'digital signature'], expirationSeconds: 3600, now });
  const cert = new X509Certificate(pem);
  assert.ok(cert.verify(new X509Certificate(ca.cert).publicKey), 'signed by the CA');
  assert.ok(cert.checkIssued(new X509Certificate(ca.cert)));
  assert.match(cert.subject, /CN=alice/);
  assert.match(cert.subject, /O=dev/);
  assert.match(cert.subject, /O=ops/);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.equal(cert.ca, false);
  const lifetime = Date.parse(cert.validTo) - now;
  assert.ok(lifetime <= 3600_000 && lifetime > 3500_000, `about an hour, got ${lifetime}`);
  const yearly = new X509Certificate(await signCertificate(ca, req, { usages: ['client auth'], now }));
  assert.ok(Date.parse(yearly.validTo) - now > 364 * 86400_000, 'defaults to a year');
});

test('autoApproval: bootstrap tokens and self-renewing nodes only', async () => {
  const node = await parseCertificateRequest(await csrPem('CN=system:node:n1, O=system:nodes'));
  const fields = (over: Partial<CsrFields>): CsrFields => ({
    request: '', signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['client auth', 'digital signature'],
    username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'], conditions: [], ...over,
  });
  assert.equal(autoApproval(fields({}), node)?.reason, 'AutoApproved');
  assert.match(autoApproval(fields({ username: 'system:node:n1', groups: ['system:nodes'] }), node)?.message ?? '', /self kubelet/);
  assert.equal(autoApproval(fields({ username: 'system:node:n2', groups: ['system:nodes'] }), node), undefined, 'another node');
  assert.equal(autoApproval(fields({ username: 'alice', groups: ['dev'] }), node), undefined, 'not a bootstrapper');
  assert.equal(autoApproval(fields({ signerName: 'kubernetes.io/kube-apiserver-client' }), node), undefined, 'other signer');
  assert.equal(autoApproval(fields({ usages: ['server auth'] }), node), undefined, 'bad usages');
});
