/** Services: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S); wide SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, num, rec, str, strs, type JsonRecord } from './json-fields.js';
import { formatLabels } from './label-selector.js';
import { loadBalancerAddresses } from './load-balancer-status.js';
import { swaggerDoc } from './swagger-doc.js';

export function serviceExternalIP(spec: JsonRecord, status: JsonRecord): string {
  const externalIPs = strs(spec.externalIPs);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(status.loadBalancer);
      if (externalIPs.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...externalIPs].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** `80/TCP,443:30443/TCP`. */
export function servicePorts(ports: unknown): string {
  return arr(ports)
    .map((p) => {
      const protocol = str(p.protocol);
      return num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${protocol}` : `${num(p.port)}/${protocol}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', swaggerDoc.ServiceSpec.type),
    column('Cluster-IP', 'string', swaggerDoc.ServiceSpec.clusterIP),
    column('External-IP', 'string', swaggerDoc.ServiceSpec.externalIPs),
    column('Port(s)', 'string', swaggerDoc.ServiceSpec.ports),
    ageColumn,
    column('Selector', 'string', swaggerDoc.ServiceSpec.selector, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const clusterIPs = strs(spec.clusterIPs);
    // v1 objects may carry only clusterIP; upstream's conversion fills clusterIPs from it.
    const clusterIP = clusterIPs.length > 0 ? clusterIPs[0] : str(spec.clusterIP) || '<none>';
    return [
      obj.metadata.name ?? '',
      str(spec.type),
      clusterIP,
      serviceExternalIP(spec, status),
      servicePorts(spec.ports) || '<none>',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
