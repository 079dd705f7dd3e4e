/** Ingresses and IngressClasses. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, rec, str } from './json-fields.js';
import { loadBalancerAddresses } from './load-balancer-status.js';

/** Up to three rule hosts; the "more" count is of rules, hosts or not, as upstream counts. */
export function formatHosts(rules: unknown): string {
  const all = arr(rules);
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of all) {
    if (list.length === max) more = true;
    if (!more && str(rule.host) !== '') list.push(str(rule.host));
  }
  if (list.length === 0) return '*';
  const shown = list.join(',');
  return more ? `${shown} + ${all.length - max} more...` : shown;
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    return [
      obj.metadata.name ?? '',
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
      formatHosts(spec.rules),
      loadBalancerAddresses(rec(rec(obj.status).loadBalancer)),
      arr(spec.tls).length > 0 ? '80, 443' : '80',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    let parameters = '<none>';
    if (spec.parameters !== undefined && spec.parameters !== null) {
      const p = rec(spec.parameters);
      const kind = typeof p.apiGroup === 'string' ? `${str(p.kind)}.${p.apiGroup}` : str(p.kind);
      parameters = `${kind}/${str(p.name)}`;
    }
    return [obj.metadata.name ?? '', str(spec.controller), parameters, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
