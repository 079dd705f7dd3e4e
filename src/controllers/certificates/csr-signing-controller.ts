/**
 * The CSR signer (upstream csrsigning) for the kubelet and apiserver-client signers: an
 * approved request without a certificate gets one from the cluster CA, or the Failed
 * condition when the signer's rules refuse it.
 */
import type { KubeObject } from '../../api/object.js';
import { CertificateRequestError, parseSpecRequest, type ParsedCertificateRequest } from '../../api/pki/certificate-request.js';
import { isNotFound } from '../../client/errors.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { certificateSigningRequests, csrFields, hasCondition, withCondition } from './csr-conditions.js';
import { signCertificate, type CertificateAuthority } from './sign-certificate.js';
import { SIGNERS, signerProblem } from './signer-rules.js';

/** Approved, not denied or failed, for one of our signers, and not yet issued. */
export function needsCertificate(csr: KubeObject): boolean {
  const f = csrFields(csr);
  return SIGNERS.includes(f.signerName) && !f.certificate && hasCondition(csr, 'Approved') && !hasCondition(csr, 'Denied') && !hasCondition(csr, 'Failed');
}

export class CsrSigningController implements Controller {
  readonly name = 'csrsigning';
  readonly queue: WorkQueue<string>;
  readonly csrs: Informer;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly ca: CertificateAuthority,
  ) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.csrs = ctx.informers.forResource(certificateSigningRequests);
    const enqueue = (csr: KubeObject) => {
      if (needsCertificate(csr)) this.queue.add(keyOf(csr));
    };
    this.csrs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, csr) => enqueue(csr) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.csrs], queue: this.queue, workers: 2, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const csr = this.csrs.store.get(key);
    if (!csr || !needsCertificate(csr)) return;
    const f = csrFields(csr);
    const now = this.ctx.clock.now();
    let req: ParsedCertificateRequest | undefined;
    let problem: string | undefined;
    try {
      req = await parseSpecRequest(f.request);
      problem = signerProblem(f.signerName, req, f.usages);
    } catch (err) {
      if (!(err instanceof CertificateRequestError)) throw err;
      problem = err.message;
    }
    let next: KubeObject;
    if (problem || !req) {
      next = withCondition(csr, 'Failed', 'SignerValidationFailure', problem ?? 'invalid request', now);
    } else {
      const pem = await signCertificate(this.ca, req, { usages: f.usages, expirationSeconds: f.expirationSeconds, now });
      next = { ...csr, status: { ...((csr.status ?? {}) as Record<string, unknown>), certificate: Buffer.from(pem).toString('base64') } };
    }
    try {
      await this.ctx.client.updateStatus(certificateSigningRequests, next);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
