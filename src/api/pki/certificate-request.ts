/**
 * Reading `spec.request`: base64 of a PEM `CERTIFICATE REQUEST` block (PKCS#10), whose
 * self-signature must verify (upstream ParseCSR + CheckSignature).
 */
import type { Pkcs10CertificateRequest } from '@peculiar/x509';
import { loadX509 } from './x509-lib.js';

export interface ParsedCertificateRequest {
  /** The parsed request, for signing (public key, extensions). */
  request: Pkcs10CertificateRequest;
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
}

export class CertificateRequestError extends Error {}

const SUBJECT_ALT_NAME = '2.5.29.17';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/;

/** Parses the decoded `spec.request` bytes (PEM text). Throws CertificateRequestError. */
export async function parseCertificateRequest(pem: string): Promise<ParsedCertificateRequest> {
  const block = PEM_BLOCK.exec(pem);
  if (!block || block[1] !== 'CERTIFICATE REQUEST') throw new CertificateRequestError('PEM block type must be CERTIFICATE REQUEST');
  const x509 = await loadX509();
  let request: Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(Buffer.from(block[2]!.replace(/\s+/g, ''), 'base64'));
  } catch (err) {
    throw new CertificateRequestError(`x509: malformed certificate request: ${(err as Error).message}`);
  }
  let verified = false;
  try {
    verified = await request.verify();
  } catch {
    verified = false;
  }
  if (!verified) throw new CertificateRequestError('x509: the request\'s signature does not verify');
  const names = { dns: [] as string[], ip: [] as string[], email: [] as string[], url: [] as string[] };
  for (const ext of request.extensions) {
    if (ext.type !== SUBJECT_ALT_NAME) continue;
    const san = ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
    for (const n of san.names.toJSON()) {
      if (n.type in names) names[n.type as keyof typeof names].push(n.value);
    }
  }
  return {
    request,
    commonName: request.subjectName.getField('CN')[0] ?? '',
    organizations: request.subjectName.getField('O'),
    dnsNames: names.dns,
    ipAddresses: names.ip,
    emailAddresses: names.email,
    uris: names.url,
  };
}

/** Decodes `spec.request` (base64 in JSON) and parses it. */
export function parseSpecRequest(request: string): Promise<ParsedCertificateRequest> {
  return parseCertificateRequest(Buffer.from(request, 'base64').toString('latin1'));
}
