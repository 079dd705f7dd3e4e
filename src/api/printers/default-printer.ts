/**
 * The table of resources without a printer of their own (upstream's DefaultTableConvertor):
 * NAME and CREATED AT, the latter an RFC 3339 date that kubectl turns into an age itself.
 */
import type { Printer } from '../resource-type.js';
import { column, nameColumn } from './columns.js';
import { parseTimestamp } from './human-duration.js';
import { swaggerDoc } from './swagger-doc.js';

/** Go's zero time, which upstream prints for objects without a creationTimestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function rfc3339(ts: unknown): string {
  const t = parseTimestamp(ts);
  if (t === undefined) return ZERO_TIME;
  // Whole seconds in UTC, like Go's time.RFC3339 layout.
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: Printer = {
  columns: [nameColumn, column('Created At', 'date', swaggerDoc.meta.creationTimestamp)],
  row(obj) {
    return [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)];
  },
};
