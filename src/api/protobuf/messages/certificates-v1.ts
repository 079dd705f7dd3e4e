/**
 * Protobuf wire facts for k8s.io/api certificates/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const certificatesV1: MessageTable = {
  CertificateSigningRequest: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'spec CertificateSigningRequestSpec',
    3: 'status CertificateSigningRequestStatus',
  },
  CertificateSigningRequestCondition: {
    1: 'type string!',
    2: 'reason string',
    3: 'message string',
    4: 'lastUpdateTime time',
    5: 'lastTransitionTime time',
    6: 'status string!',
  },
  CertificateSigningRequestList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []CertificateSigningRequest' },
  CertificateSigningRequestSpec: {
    1: 'request bytes',
    2: 'username string',
    3: 'uid string',
    4: 'groups []string',
    5: 'usages []string',
    6: 'extra {strings}',
    7: 'signerName string',
    8: 'expirationSeconds int32?',
  },
  CertificateSigningRequestStatus: {
    1: 'conditions []CertificateSigningRequestCondition',
    2: 'certificate bytes',
  },
};
