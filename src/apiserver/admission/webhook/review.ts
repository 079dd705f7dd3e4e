/** AdmissionReview v1 requests and what a webhook's response means (admission.k8s.io/v1). */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../api/object.js';
import type { AdmissionAttributes } from '../types.js';

export interface AdmissionResponse {
  uid?: string;
  allowed?: boolean;
  status?: { code?: number; message?: string; reason?: string; status?: string; details?: unknown };
  patch?: string;
  patchType?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

const OPTIONS_KIND: Record<string, string> = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' };

export function reviewRequest(a: AdmissionAttributes, object: KubeObject | undefined): { uid: string; body: Record<string, unknown> } {
  const uid = randomUUID();
  const kind = { group: a.rt.group, version: a.rt.version, kind: a.rt.kind };
  const resource = { group: a.rt.group, version: a.rt.version, resource: a.rt.plural };
  const request: Record<string, unknown> = {
    uid,
    kind,
    resource,
    requestKind: kind,
    requestResource: resource,
    ...(a.subresource ? { subResource: a.subresource, requestSubResource: a.subresource } : {}),
    ...(a.name ? { name: a.name } : {}),
    ...(a.namespace ? { namespace: a.namespace } : {}),
    operation: a.operation,
    userInfo: {
      username: a.user.name,
      ...(a.user.uid ? { uid: a.user.uid } : {}),
      ...(a.user.groups?.length ? { groups: a.user.groups } : {}),
      ...(a.user.extra && Object.keys(a.user.extra).length ? { extra: a.user.extra } : {}),
    },
    object: a.operation === 'DELETE' ? null : (object ?? null),
    oldObject: a.oldObject ?? null,
    dryRun: a.dryRun,
    options: OPTIONS_KIND[a.operation] ? { kind: OPTIONS_KIND[a.operation], apiVersion: 'meta.k8s.io/v1' } : null,
  };
  return { uid, body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request } };
}
