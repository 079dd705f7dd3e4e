/**
 * Which requests the auto-approver approves (upstream pkg/controller/certificates/approver):
 * kubelet client certificates requested by a bootstrap token, and a node renewing its own
 * client certificate. Upstream asks a SubjectAccessReview for `certificatesigningrequests/
 * nodeclient` and `…/selfnodeclient`; skiff grants those to the same groups directly.
 */
import type { ParsedCertificateRequest } from '../../api/pki/certificate-request.js';
import type { CsrFields } from './csr-conditions.js';
import { KUBE_APISERVER_CLIENT_KUBELET, kubeletClientProblem } from './signer-rules.js';

export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';

export interface Approval {
  reason: string;
  message: string;
}

/** The approval for this request, or undefined when a human has to decide. */
export function autoApproval(csr: CsrFields, req: ParsedCertificateRequest): Approval | undefined {
  if (csr.signerName !== KUBE_APISERVER_CLIENT_KUBELET) return undefined;
  if (kubeletClientProblem(req, csr.usages)) return undefined;
  if (csr.username === req.commonName && csr.groups.includes('system:nodes')) {
    return { reason: 'AutoApproved', message: 'Auto approving self kubelet client certificate after SubjectAccessReview.' };
  }
  if (csr.groups.includes(BOOTSTRAPPERS_GROUP)) {
    return { reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' };
  }
  return undefined;
}
