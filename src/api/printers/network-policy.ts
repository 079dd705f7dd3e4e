/** NetworkPolicies: POD-SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { rec } from './json-fields.js';
import { formatLabelSelector } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

export const networkPolicyPrinter: Printer = {
  columns: [nameColumn, column('Pod-Selector', 'string', swaggerDoc.NetworkPolicySpec.podSelector), ageColumn],
  row(obj, now) {
    // podSelector is a struct, not a pointer, upstream: absent reads as the empty selector.
    return [
      obj.metadata.name ?? '',
      formatLabelSelector(rec(rec(obj.spec).podSelector)),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
