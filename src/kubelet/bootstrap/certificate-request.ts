/**
 * The kubelet's client certificate request: a fresh ECDSA P-256 key and a PKCS#10 request for
 * CN=system:node:<name>, O=system:nodes, the subject the kube-apiserver-client-kubelet signer
 * requires (no subjectAltNames).
 */
import { webcrypto } from 'node:crypto';
import { loadX509 } from '../../api/pki/x509-lib.js';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface NodeCertificateRequest {
  /** PKCS#8 PEM of the new private key. */
  key: string;
  /** PEM `CERTIFICATE REQUEST`. */
  request: string;
}

export async function nodeClientCertificateRequest(nodeName: string): Promise<NodeCertificateRequest> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [`system:node:${nodeName}`] }, { O: ['system:nodes'] }],
    keys,
    signingAlgorithm: alg,
  });
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { key: x509.PemConverter.encode(der, 'PRIVATE KEY'), request: csr.toString('pem') };
}
