/** Reading and writing CertificateSigningRequest conditions and fields, shared by both controllers. */
import type { KubeObject } from '../../api/object.js';
import type { ResourceRef } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';

export const certificateSigningRequests: ResourceRef = {
  group: 'certificates.k8s.io',
  version: 'v1',
  resource: 'certificatesigningrequests',
  kind: 'CertificateSigningRequest',
  namespaced: false,
};

export interface CsrCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CsrFields {
  request: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number;
  username: string;
  groups: string[];
  conditions: CsrCondition[];
  certificate?: string;
}

export function csrFields(csr: KubeObject): CsrFields {
  const spec = (csr.spec ?? {}) as Partial<CsrFields>;
  const status = (csr.status ?? {}) as { conditions?: CsrCondition[]; certificate?: string };
  return {
    request: spec.request ?? '',
    signerName: spec.signerName ?? '',
    usages: spec.usages ?? [],
    expirationSeconds: spec.expirationSeconds ?? undefined,
    username: spec.username ?? '',
    groups: spec.groups ?? [],
    conditions: status.conditions ?? [],
    certificate: status.certificate || undefined,
  };
}

export function hasCondition(csr: KubeObject, type: string): boolean {
  return csrFields(csr).conditions.some((c) => c.type === type && c.status === 'True');
}

/** A copy of `csr` with one more True condition of `type`. */
export function withCondition(csr: KubeObject, type: string, reason: string, message: string, now: number): KubeObject {
  const at = rfc3339(now);
  const status = { ...((csr.status ?? {}) as Record<string, unknown>) };
  const conditions = [...((status.conditions as CsrCondition[] | undefined) ?? []), { type, status: 'True', reason, message, lastUpdateTime: at, lastTransitionTime: at }];
  return { ...csr, status: { ...status, conditions } };
}
