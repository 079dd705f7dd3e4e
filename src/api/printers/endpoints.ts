/** Endpoints: up to three `ip:port` pairs then ` + N more...`. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, num, str } from './json-fields.js';
import { listWithMore } from './list-with-more.js';
import { swaggerDoc } from './swagger-doc.js';

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatEndpoints(subsets: unknown): string {
  const all = arr(subsets);
  if (all.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const subset of all) {
    const addresses = arr(subset.addresses).map((a) => str(a.ip));
    const ports = arr(subset.ports);
    // Headless services may have no ports: list bare addresses.
    if (ports.length === 0) {
      count += addresses.length;
      list.push(...addresses);
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      list.push(...addresses.map((ip) => joinHostPort(ip, num(port.port))));
    }
  }
  return listWithMore(list, count, 3, '');
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, column('Endpoints', 'string', swaggerDoc.Endpoints.subsets), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', formatEndpoints(obj.subsets), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
