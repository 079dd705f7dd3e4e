/** EndpointSlices: ADDRESSTYPE, PORTS and ENDPOINTS, each list cut after three entries. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, str, strs } from './json-fields.js';
import { listWithMore } from './list-with-more.js';
import { swaggerDoc } from './swagger-doc.js';

function formatPorts(ports: unknown): string {
  const list = arr(ports).map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*'));
  return listWithMore(list, list.length, 3, '<unset>');
}

function formatEndpoints(endpoints: unknown): string {
  const list = arr(endpoints).flatMap((e) => strs(e.addresses));
  return listWithMore(list, list.length, 3, '<unset>');
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', swaggerDoc.EndpointSlice.addressType),
    column('Ports', 'string', swaggerDoc.EndpointSlice.ports),
    column('Endpoints', 'string', swaggerDoc.EndpointSlice.endpoints),
    ageColumn,
  ],
  row(obj, now) {
    return [
      obj.metadata.name ?? '',
      str(obj.addressType),
      formatPorts(obj.ports),
      formatEndpoints(obj.endpoints),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
