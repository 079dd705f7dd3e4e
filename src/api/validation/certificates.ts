/** certificates.k8s.io/v1 CertificateSigningRequests. */
import { type FieldError, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isQualifiedName, isValidPathSegmentName } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { rec, str } from './json-access.js';

const USAGES = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment',
  'decipher only', 'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel',
  'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime',
  'server auth', 'signing', 'timestamping',
];

export function validateCertificateSigningRequest(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: isValidPathSegmentName });
  const spec = rec(obj.spec) ?? {};
  const request = str(spec.request) ?? '';
  if (!request) errs.push(required('spec.request'));
  else {
    const pem = Buffer.from(request, 'base64').toString('latin1');
    if (!pem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
      errs.push(invalid('spec.request', '<request>', 'PEM block type must be CERTIFICATE REQUEST'));
    }
  }
  const signer = str(spec.signerName) ?? '';
  if (!signer) errs.push(required('spec.signerName'));
  else if (!signer.includes('/')) {
    errs.push(invalid('spec.signerName', signer, 'must be a fully qualified domain and path of the form \'example.com/signer-name\''));
  } else for (const msg of isQualifiedName(signer.split('/')[0]! + '/x')) errs.push(invalid('spec.signerName', signer, msg));
  (Array.isArray(spec.usages) ? spec.usages : []).forEach((u: unknown, i: number) => {
    if (!USAGES.includes(String(u))) errs.push(notSupported(`spec.usages[${i}]`, u, USAGES));
  });
  if (old) errs.push(...validateImmutable(obj.spec, old.spec, 'spec'));
  return errs;
}
