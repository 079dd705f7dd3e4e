/** The CSR auto-approver (upstream csrapproving): approves what `autoApproval` allows. */
import type { KubeObject } from '../../api/object.js';
import { CertificateRequestError, parseSpecRequest } from '../../api/pki/certificate-request.js';
import { isNotFound } from '../../client/errors.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { autoApproval } from './approval-rules.js';
import { certificateSigningRequests, csrFields, hasCondition, withCondition } from './csr-conditions.js';

const decided = (csr: KubeObject) => hasCondition(csr, 'Approved') || hasCondition(csr, 'Denied');

export class CsrApprovingController implements Controller {
  readonly name = 'csrapproving';
  readonly queue: WorkQueue<string>;
  readonly csrs: Informer;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.csrs = ctx.informers.forResource(certificateSigningRequests);
    const enqueue = (csr: KubeObject) => {
      if (!decided(csr)) this.queue.add(keyOf(csr));
    };
    this.csrs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, csr) => enqueue(csr) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.csrs], queue: this.queue, workers: 2, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const csr = this.csrs.store.get(key);
    if (!csr || decided(csr)) return;
    const fields = csrFields(csr);
    let approval;
    try {
      approval = autoApproval(fields, await parseSpecRequest(fields.request));
    } catch (err) {
      if (err instanceof CertificateRequestError) return;
      throw err;
    }
    if (!approval) return;
    const approved = withCondition(csr, 'Approved', approval.reason, approval.message, this.ctx.clock.now());
    try {
      await this.ctx.client.update(certificateSigningRequests, approved, { subresource: 'approval' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
