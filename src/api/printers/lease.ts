/** Leases: HOLDER. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { rec, str } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', swaggerDoc.LeaseSpec.holderIdentity), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', str(rec(obj.spec).holderIdentity), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
