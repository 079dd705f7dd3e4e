/** CertificateSigningRequests: SIGNERNAME, REQUESTOR, REQUESTEDDURATION, CONDITION. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { humanDuration, translateTimestampSince } from './human-duration.js';
import { arr, rec, str } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export function csrCondition(status: unknown): string {
  const types = new Set(arr(rec(status).conditions).map((c) => c.type));
  // Denied outranks Approved; Failed and Issued are added on top.
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (str(rec(status).certificate) !== '') out += ',Issued';
  return out;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', swaggerDoc.CertificateSigningRequestSpec.signerName),
    column('Requestor', 'string', swaggerDoc.CertificateSigningRequestSpec.request),
    column('RequestedDuration', 'string', swaggerDoc.CertificateSigningRequestSpec.expirationSeconds),
    column('Condition', 'string', swaggerDoc.CertificateSigningRequestStatus.conditions),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    return [
      obj.metadata.name ?? '',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      str(spec.signerName) || '<none>',
      str(spec.username),
      typeof spec.expirationSeconds === 'number' ? humanDuration(spec.expirationSeconds * 1000) : '<none>',
      csrCondition(obj.status),
    ];
  },
};
