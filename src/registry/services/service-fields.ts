/** Reading the allocation-related fields of a Service object (upstream pkg/api/service helpers). */
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';

export type ServiceSpec = Record<string, unknown> & {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  healthCheckNodePort?: number;
  externalTrafficPolicy?: string;
  allocateLoadBalancerNodePorts?: boolean;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
};

export type ServicePort = Record<string, unknown> & {
  name?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
};

/** The spec, created when missing so callers may write to it. */
export function specOf(svc: KubeObject): ServiceSpec {
  if (!isPlainObject(svc.spec)) svc.spec = {};
  return svc.spec as ServiceSpec;
}

export function portsOf(spec: ServiceSpec): ServicePort[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) as ServicePort[] : [];
}

export function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName';
}

export function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** Whether ports without a nodePort get one (a LoadBalancer may opt out). */
export function allocatesNodePorts(spec: ServiceSpec): boolean {
  if (spec.type === 'NodePort') return true;
  if (spec.type === 'LoadBalancer') return spec.allocateLoadBalancerNodePorts !== false;
  return false;
}

export function needsHealthCheckNodePort(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

export function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None');
}

/** The primary ClusterIP the object asks for or holds, '' when none. */
export function requestedClusterIP(spec: ServiceSpec): string {
  const fromList = Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string' ? spec.clusterIPs[0] : '';
  return fromList || (typeof spec.clusterIP === 'string' ? spec.clusterIP : '');
}

export function nodePortOf(p: ServicePort): number {
  return typeof p.nodePort === 'number' && p.nodePort > 0 ? p.nodePort : 0;
}

export function healthCheckNodePortOf(spec: ServiceSpec): number {
  return typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0 ? spec.healthCheckNodePort : 0;
}

/** Values a stored Service holds in the allocators: they must be released when it goes. */
export interface HeldValues {
  ips: string[];
  ports: number[];
}

export function heldValues(svc: KubeObject): HeldValues {
  const spec = isPlainObject(svc.spec) ? (svc.spec as ServiceSpec) : {};
  const ips: string[] = [];
  if (needsClusterIP(spec) && !isHeadless(spec)) {
    const list = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : [spec.clusterIP];
    for (const ip of list) if (typeof ip === 'string' && ip && ip !== 'None' && !ips.includes(ip)) ips.push(ip);
  }
  const ports: number[] = [];
  for (const p of portsOf(spec)) {
    const n = nodePortOf(p);
    if (n && !ports.includes(n)) ports.push(n);
  }
  const hc = healthCheckNodePortOf(spec);
  if (hc && !ports.includes(hc)) ports.push(hc);
  return { ips, ports };
}

export function ownerOf(svc: KubeObject): { namespace: string; name: string; uid: string } {
  return { namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '' };
}
