/** certificates.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import { selectors, stringField } from './field-value.js';
import { validateCertificateSigningRequest } from '../validation/certificates.js';

export function certificatesResources(): ResourceType[] {
  return [
    row({
      group: 'certificates.k8s.io', version: 'v1', plural: 'certificatesigningrequests',
      singular: 'certificatesigningrequest', kind: 'CertificateSigningRequest', namespaced: false, shortNames: ['csr'],
      subresources: [
        { name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] },
        statusSubresource('CertificateSigningRequest'),
      ],
      fieldSelectors: selectors({ 'spec.signerName': stringField }),
      generation: false, validate: validateCertificateSigningRequest,
    }),
  ];
}
