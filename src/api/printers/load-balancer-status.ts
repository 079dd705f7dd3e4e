/**
 * The addresses of a Service's or Ingress's load balancer status: unique IPs or hostnames,
 * sorted, comma-joined. The server always prints for wide output, so nothing is clipped.
 */
import { arr, rec, str } from './json-fields.js';

export function loadBalancerAddresses(loadBalancer: unknown): string {
  const found = new Set<string>();
  for (const ingress of arr(rec(loadBalancer).ingress)) {
    const address = str(ingress.ip) || str(ingress.hostname);
    if (address !== '') found.add(address);
  }
  return [...found].sort().join(',');
}
