/** PodDisruptionBudgets: MIN AVAILABLE, MAX UNAVAILABLE (`N/A` when unset), ALLOWED DISRUPTIONS. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { num, quantity, rec } from './json-fields.js';

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    return [
      obj.metadata.name ?? '',
      quantity(spec.minAvailable, 'N/A'),
      quantity(spec.maxUnavailable, 'N/A'),
      num(rec(obj.status).disruptionsAllowed),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
