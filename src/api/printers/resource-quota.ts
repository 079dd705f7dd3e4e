/** ResourceQuotas: REQUEST and LIMIT as `resource: used/hard` lists, sorted by resource name. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { quantity, rec } from './json-fields.js';

export function quotaCells(status: unknown): [requests: string, limits: string] {
  const hard = rec(rec(status).hard);
  const used = rec(rec(status).used);
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const pieces = name.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limits : requests;
    target.push(`${name}: ${quantity(used[name])}/${quantity(hard[name])}`);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn,
  ],
  row(obj, now) {
    return [obj.metadata.name ?? '', ...quotaCells(obj.status), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
