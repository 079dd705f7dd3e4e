/**
 * CertificateSigningRequest semantics beyond the generic store (upstream
 * pkg/registry/certificates/certificates/strategy.go and the CertificateApproval,
 * CertificateSigning and CertificateSubjectRestriction admission plugins):
 * the requester's identity is recorded by the server, the approval subresource changes only
 * the Approved/Denied conditions, and the status subresource carries the certificate.
 */
import type { FieldError } from '../../api/field-errors.js';
import { forbidden as fieldForbidden, invalid as fieldInvalid, required } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import { forbidden, invalid } from '../../api/status.js';
import type { UserInfo } from '../authn/types.js';
import type { Authorizer } from '../authz/types.js';
import { CertificateRequestError, parseSpecRequest } from '../../api/pki/certificate-request.js';

const GROUP = 'certificates.k8s.io';
const KIND = 'CertificateSigningRequest';
const MIN_EXPIRATION_SECONDS = 600;

export interface CsrCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

interface CsrSpec {
  request?: string;
  signerName?: string;
  expirationSeconds?: number;
  usages?: string[];
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

interface CsrStatus {
  conditions?: CsrCondition[];
  certificate?: string;
}

export function isCertificateSigningRequest(rt: { group: string; kind: string }): boolean {
  return rt.group === GROUP && rt.kind === KIND;
}

const specOf = (obj: KubeObject): CsrSpec => (obj.spec ?? {}) as CsrSpec;
const statusOf = (obj: KubeObject): CsrStatus => (obj.status ?? {}) as CsrStatus;
const refuse = (obj: KubeObject, errs: FieldError[]) => invalid(KIND, GROUP, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);

/**
 * Create-time step: the server, not the client, says who asked; the request must parse and
 * verify; the kube-apiserver-client signer never issues system:masters certificates.
 */
export async function prepareCsrForCreate(obj: KubeObject, user: UserInfo): Promise<void> {
  const spec = (obj.spec ?? {}) as CsrSpec;
  obj.spec = spec;
  spec.username = user.name;
  if (user.uid) spec.uid = user.uid;
  else delete spec.uid;
  spec.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) spec.extra = deepCopy(user.extra);
  else delete spec.extra;
  delete obj.status;
  const errs: FieldError[] = [];
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    errs.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, `may not specify a duration less than ${MIN_EXPIRATION_SECONDS} seconds`));
  }
  if (!spec.usages?.length) errs.push(required('spec.usages'));
  if (typeof spec.request !== 'string' || !spec.request) {
    // The table's validation reports a missing request.
    if (errs.length) throw refuse(obj, errs);
    return;
  }
  try {
    const parsed = await parseSpecRequest(spec.request);
    if (spec.signerName === 'kubernetes.io/kube-apiserver-client' && parsed.organizations.includes('system:masters')) {
      throw forbidden(`certificatesigningrequests.certificates.k8s.io "${obj.metadata.name ?? ''}" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed`);
    }
  } catch (err) {
    if (!(err instanceof CertificateRequestError)) throw err;
    errs.push(fieldInvalid('spec.request', '<request>', err.message));
  }
  if (errs.length) throw refuse(obj, errs);
}

function conditionErrors(conds: CsrCondition[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  conds.forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if (!c.type) errs.push(required(`${at}.type`));
    if (!c.status) errs.push(required(`${at}.status`));
    else if (!['True', 'False', 'Unknown'].includes(c.status)) errs.push(fieldInvalid(`${at}.status`, c.status, 'supported values: "False", "True", "Unknown"'));
    if ((c.type === 'Approved' || c.type === 'Denied' || c.type === 'Failed') && c.status && c.status !== 'True') {
      errs.push(fieldInvalid(`${at}.status`, c.status, 'supported values: "True"'));
    }
    if (['Approved', 'Denied', 'Failed'].includes(c.type) && seen.has(c.type)) errs.push(fieldForbidden(`${at}.type`, `duplicate condition type ${c.type}`));
    seen.add(c.type);
  });
  if (seen.has('Approved') && seen.has('Denied')) errs.push(fieldInvalid('status.conditions', 'Approved', 'Approved and Denied conditions are mutually exclusive'));
  return errs;
}

const isDecision = (c: CsrCondition) => c.type === 'Approved' || c.type === 'Denied';

/** A decision once made stays (upstream: approval and denial cannot be withdrawn). */
function keptDecisions(sent: CsrCondition[], live: CsrCondition[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const old of live.filter(isDecision)) {
    if (!sent.some((c) => c.type === old.type && c.status === old.status)) {
      errs.push(fieldForbidden('status.conditions', `updates may not remove a condition of type "${old.type}"`));
    }
  }
  return errs;
}

async function checkSigner(authorizer: Authorizer | undefined, user: UserInfo, verb: 'approve' | 'sign', signerName: string, obj: KubeObject): Promise<void> {
  if (!authorizer) return;
  const domain = signerName.split('/')[0] ?? '';
  for (const name of [signerName, `${domain}/*`]) {
    const { decision } = await authorizer.authorize({
      user, verb, resourceRequest: true, path: '', apiGroup: GROUP, apiVersion: '*', resource: 'signers', subresource: '', namespace: '', name,
    });
    if (decision === 'allow') return;
  }
  const what = verb === 'approve' ? 'approve' : 'sign';
  throw forbidden(`certificatesigningrequests.certificates.k8s.io "${obj.metadata.name ?? ''}" is forbidden: user not permitted to ${what} requests with signerName "${signerName}"`);
}

export interface CsrUpdateRequest {
  subresource: string | undefined;
  user: UserInfo;
  authorizer?: Authorizer;
}

/**
 * The object to store for an update of a CSR, from the live object and what the client sent.
 * Main resource: the store keeps the live status (nothing to do here). `approval`: only the
 * conditions change. `status`: everything in status but the Approved/Denied decisions.
 */
export async function csrForUpdate(req: CsrUpdateRequest, live: KubeObject, sent: KubeObject): Promise<KubeObject> {
  if (req.subresource === undefined) return sent;
  const liveStatus = statusOf(live);
  const liveConds = liveStatus.conditions ?? [];
  const signer = specOf(live).signerName ?? '';
  if (req.subresource === 'approval') {
    const conds = statusOf(sent).conditions ?? [];
    const next = deepCopy(live);
    next.metadata = { ...deepCopy(sent.metadata), resourceVersion: sent.metadata.resourceVersion };
    next.status = { ...deepCopy(liveStatus), conditions: deepCopy(conds) };
    if (!conds.length) delete (next.status as CsrStatus).conditions;
    const errs = [...conditionErrors(conds), ...keptDecisions(conds, liveConds)];
    if (errs.length) throw refuse(live, errs);
    await checkSigner(req.authorizer, req.user, 'approve', signer, live);
    return next;
  }
  if (req.subresource === 'status') {
    const sentStatus = deepCopy(statusOf(sent));
    // Decisions belong to the approval subresource; a status writer cannot add or drop them.
    const conds = [...(sentStatus.conditions ?? []).filter((c) => !isDecision(c)), ...deepCopy(liveConds.filter(isDecision))];
    const next = deepCopy(sent);
    next.status = { ...sentStatus, conditions: conds };
    if (!conds.length) delete (next.status as CsrStatus).conditions;
    const errs = conditionErrors(conds);
    const cert = sentStatus.certificate;
    if (cert !== liveStatus.certificate) {
      if (liveStatus.certificate) errs.push(fieldForbidden('status.certificate', 'updates may not modify existing certificate content'));
      else if (cert) {
        const pem = Buffer.from(cert, 'base64').toString('latin1');
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) errs.push(fieldInvalid('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block'));
        if (!liveConds.some((c) => c.type === 'Approved')) errs.push(fieldForbidden('status.certificate', 'certificate may only be set on an approved request'));
        if (conds.some((c) => c.type === 'Denied' || c.type === 'Failed')) errs.push(fieldForbidden('status.certificate', 'certificate may not be set on a denied or failed request'));
      }
    }
    if (errs.length) throw refuse(live, errs);
    if (cert && cert !== liveStatus.certificate) await checkSigner(req.authorizer, req.user, 'sign', signer, live);
    return next;
  }
  return sent;
}

