/** The parts of Services and EndpointSlices that cluster DNS reads. */
import type { KubeObject } from '../api/object.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
}

export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    ports?: ServicePort[];
    publishNotReadyAddresses?: boolean;
  };
}

export interface Endpoint {
  addresses: string[];
  hostname?: string;
  conditions?: { ready?: boolean };
}

export interface EndpointSlice extends KubeObject {
  addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: Endpoint[];
  ports?: { name?: string; protocol?: string; port?: number }[];
}

/** EndpointSlices name their Service with this label. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

export function clusterIPsOf(svc: Service): string[] {
  const s = svc.spec ?? {};
  const ips = s.clusterIPs?.length ? s.clusterIPs : s.clusterIP ? [s.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}
