/** Namespaces: STATUS is the phase. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { rec, str } from './json-fields.js';

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', str(rec(obj.status).phase), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
