/**
 * Asking the cluster to sign a certificate: create a CertificateSigningRequest, then watch it
 * until the signer fills in status.certificate (upstream client-go util/certificate/csr).
 */
import type { ApiClient } from '../../client/client.js';
import type { ResourceRef } from '../../client/resources.js';
import type { KubeObject } from '../../api/object.js';

export const certificateSigningRequests: ResourceRef = {
  group: 'certificates.k8s.io',
  version: 'v1',
  resource: 'certificatesigningrequests',
  kind: 'CertificateSigningRequest',
  namespaced: false,
};

export const KUBE_APISERVER_CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';

interface Csr extends KubeObject {
  status?: { certificate?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export class CsrRejectedError extends Error {}

export interface CsrSpec {
  request: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number;
}

/** The signed certificate (PEM) or why not: Denied/Failed throw CsrRejectedError. */
function outcome(csr: Csr): string | undefined {
  for (const c of csr.status?.conditions ?? []) {
    if ((c.type === 'Denied' || c.type === 'Failed') && c.status !== 'False') {
      throw new CsrRejectedError(`certificate signing request ${csr.metadata.name} is ${c.type.toLowerCase()}: ${c.reason ?? ''} ${c.message ?? ''}`.trim());
    }
  }
  const cert = csr.status?.certificate;
  return cert ? Buffer.from(cert, 'base64').toString('utf8') : undefined;
}

/** Creates the request and waits, by watch, for the issued certificate. */
export async function requestCertificate(client: ApiClient, spec: CsrSpec, signal?: AbortSignal): Promise<{ name: string; certificate: string }> {
  const created = await client.create<Csr>(certificateSigningRequests, undefined, {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: 'csr-' },
    spec: {
      request: Buffer.from(spec.request).toString('base64'),
      signerName: spec.signerName,
      usages: spec.usages,
      ...(spec.expirationSeconds ? { expirationSeconds: spec.expirationSeconds } : {}),
    },
  });
  const name = created.metadata.name!;
  let latest: Csr = created;
  for (;;) {
    const cert = outcome(latest);
    if (cert) return { name, certificate: cert };
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    // A watch ends when the server closes it; re-read and watch again from the newest version.
    let found: string | undefined;
    let failure: unknown;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await client.watch<Csr>(
        certificateSigningRequests,
        undefined,
        { fieldSelector: `metadata.name=${name}`, resourceVersion: latest.metadata.resourceVersion, timeoutSeconds: 300 },
        (ev) => {
          if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
          latest = ev.object;
          try {
            found = outcome(latest);
          } catch (err) {
            failure = err;
          }
          if (found || failure) stop.abort();
        },
        stop.signal,
      );
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (failure) throw failure;
    if (found) return { name, certificate: found };
    latest = await client.get<Csr>(certificateSigningRequests, undefined, name);
  }
}
