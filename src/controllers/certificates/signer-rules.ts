/**
 * What each built-in signer accepts (upstream pkg/apis/certificates/v1 helpers and
 * pkg/controller/certificates/signer): allowed key usages and, for the kubelet signers,
 * the subject a node may ask for. A request breaking them is marked Failed, not signed.
 */
import type { ParsedCertificateRequest } from '../../api/pki/certificate-request.js';

export const KUBE_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';

export const SIGNERS = [KUBE_APISERVER_CLIENT, KUBE_APISERVER_CLIENT_KUBELET, KUBELET_SERVING];

const NODE_PREFIX = 'system:node:';
const CLIENT_USAGES = ['digital signature', 'key encipherment', 'client auth'];
const SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];

function usageProblem(usages: string[], allowed: string[], required: string): string | undefined {
  const bad = usages.filter((u) => !allowed.includes(u));
  if (bad.length) return `usages did not match [${allowed.join(' ')}]: invalid usages [${bad.join(' ')}]`;
  if (!usages.includes(required)) return `missing required usage "${required}"`;
  return undefined;
}

function nodeSubjectProblem(req: ParsedCertificateRequest): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!req.commonName.startsWith(NODE_PREFIX) || req.commonName.length === NODE_PREFIX.length) return 'subject common name does not begin with system:node:';
  return undefined;
}

/** A valid kubelet client request (upstream ValidateKubeletClientCSR), or why not. */
export function kubeletClientProblem(req: ParsedCertificateRequest, usages: string[]): string | undefined {
  const subject = nodeSubjectProblem(req);
  if (subject) return subject;
  if (req.dnsNames.length || req.ipAddresses.length || req.emailAddresses.length || req.uris.length) {
    return 'subjectAltNames are not allowed in kubelet client certificates';
  }
  return usageProblem(usages, CLIENT_USAGES, 'client auth');
}

/** Why `signerName` refuses this request, or undefined when it may be signed. */
export function signerProblem(signerName: string, req: ParsedCertificateRequest, usages: string[]): string | undefined {
  switch (signerName) {
    case KUBE_APISERVER_CLIENT:
      return usageProblem(usages, CLIENT_USAGES, 'client auth');
    case KUBE_APISERVER_CLIENT_KUBELET:
      return kubeletClientProblem(req, usages);
    case KUBELET_SERVING: {
      const subject = nodeSubjectProblem(req);
      if (subject) return subject;
      if (!req.dnsNames.length && !req.ipAddresses.length) return 'DNS or IP subjectAltName is required';
      if (req.emailAddresses.length || req.uris.length) return 'email and URI subjectAltNames are not allowed';
      return usageProblem(usages, SERVING_USAGES, 'server auth');
    }
    default:
      return `unknown signer ${signerName}`;
  }
}
