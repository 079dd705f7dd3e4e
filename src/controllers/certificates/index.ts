import type { ControllerFactory } from '../types.js';
import { CsrApprovingController } from './csr-approving-controller.js';
import { CsrSigningController } from './csr-signing-controller.js';

export { CsrApprovingController } from './csr-approving-controller.js';
export { CsrSigningController, needsCertificate } from './csr-signing-controller.js';
export { autoApproval } from './approval-rules.js';
export { signCertificate, type CertificateAuthority } from './sign-certificate.js';
export { signerProblem } from './signer-rules.js';

export const csrApprovingController: ControllerFactory = (ctx) => new CsrApprovingController(ctx);

/** The signer needs the cluster CA; callers pass only a context that has one. */
export function csrSigningController(ctx: Parameters<ControllerFactory>[0], ca: { cert: string; key: string }) {
  return new CsrSigningController(ctx, ca);
}
