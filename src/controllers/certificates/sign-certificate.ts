/**
 * Issuing a certificate for an approved request from the cluster CA: the request's subject,
 * SANs and public key; key usages from spec.usages; valid from five minutes ago (clock skew)
 * for expirationSeconds (default and ceiling one year), never beyond the CA itself.
 */
import { webcrypto } from 'node:crypto';
import type { ParsedCertificateRequest } from '../../api/pki/certificate-request.js';
import { loadX509 } from '../../api/pki/x509-lib.js';

export interface CertificateAuthority {
  cert: string;
  key: string;
}

export interface SignOptions {
  usages: string[];
  expirationSeconds?: number;
  now: number;
}

const YEAR_SECONDS = 365 * 24 * 3600;
const BACKDATE_MS = 5 * 60_000;

export async function signCertificate(ca: CertificateAuthority, req: ParsedCertificateRequest, opts: SignOptions): Promise<string> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.cert);
  const caAlg = caCert.publicKey.algorithm as EcKeyAlgorithm | RsaHashedKeyAlgorithm;
  const signingAlgorithm = caAlg.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const importAlg = caAlg.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: (caAlg as EcKeyAlgorithm).namedCurve } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decode(ca.key)[0]!, importAlg, false, ['sign']);
  const seconds = Math.min(opts.expirationSeconds ?? YEAR_SECONDS, YEAR_SECONDS);
  const notAfter = Math.min(opts.now + seconds * 1000, caCert.notAfter.getTime());
  let keyUsage = 0;
  if (opts.usages.includes('digital signature')) keyUsage |= x509.KeyUsageFlags.digitalSignature;
  if (opts.usages.includes('key encipherment')) keyUsage |= x509.KeyUsageFlags.keyEncipherment;
  const eku: string[] = [];
  if (opts.usages.includes('client auth')) eku.push(x509.ExtendedKeyUsage.clientAuth);
  if (opts.usages.includes('server auth')) eku.push(x509.ExtendedKeyUsage.serverAuth);
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (eku.length) extensions.push(new x509.ExtendedKeyUsageExtension(eku));
  const names = [
    ...req.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...req.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ...req.emailAddresses.map((value) => ({ type: 'email' as const, value })),
    ...req.uris.map((value) => ({ type: 'url' as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    subject: req.request.subjectName,
    issuer: caCert.subjectName,
    notBefore: new Date(opts.now - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: req.request.publicKey,
    signingKey: caKey,
    signingAlgorithm,
    extensions,
  });
  return cert.toString('pem');
}
