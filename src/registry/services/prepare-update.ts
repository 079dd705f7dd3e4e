/**
 * Service update preparation that needs the old object (upstream service strategy's
 * dropTypeDependentFields and the REST layer's patchAllocatedValues). Pure and idempotent:
 * run it before validation so a type change does not trip over fields the old type had.
 */
import type { KubeObject } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import {
  healthCheckNodePortOf,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePorts,
  nodePortOf,
  portsOf,
  specOf,
  type ServiceSpec,
} from './service-fields.js';

export function prepareServiceUpdate(obj: KubeObject, old: KubeObject): void {
  const spec = specOf(obj);
  const oldSpec = (old.spec ?? {}) as ServiceSpec;
  keepAllocatedValues(spec, oldSpec);
  dropTypeDependentFields(spec, oldSpec);
}

/** Values the server allocated stay when a client's write leaves them out (e.g. PUT of a manifest). */
function keepAllocatedValues(spec: ServiceSpec, oldSpec: ServiceSpec): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if ((!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) && Array.isArray(oldSpec.clusterIPs) && oldSpec.clusterIPs.length > 0) {
      spec.clusterIPs = [...oldSpec.clusterIPs];
    }
  }
  if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
    const newPorts = portsOf(spec);
    const oldValues = new Set(portsOf(oldSpec).map(nodePortOf).filter((n) => n > 0));
    // A value the new object already uses elsewhere cannot be patched in a second time.
    const used = new Set(newPorts.map(nodePortOf).filter((n) => oldValues.has(n)));
    const byName = new Map<string, number>();
    for (const p of portsOf(oldSpec)) byName.set(String(p.name ?? ''), nodePortOf(p));
    for (const p of newPorts) {
      if (nodePortOf(p)) continue;
      const was = byName.get(String(p.name ?? '')) ?? 0;
      if (was && !used.has(was)) {
        p.nodePort = was;
        used.add(was);
      }
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec) && !healthCheckNodePortOf(spec)) {
    const was = healthCheckNodePortOf(oldSpec);
    if (was) spec.healthCheckNodePort = was;
  }
}

/**
 * A type change wipes the fields the new type cannot have, but only when the client left them
 * as they were; a client that also changed them gets the validation error instead.
 */
function dropTypeDependentFields(spec: ServiceSpec, oldSpec: ServiceSpec): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (spec.clusterIP === oldSpec.clusterIP && deepEqual(spec.clusterIPs ?? [], oldSpec.clusterIPs ?? [])) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec)) {
    const oldValues = new Set(portsOf(oldSpec).map(nodePortOf));
    const ports = portsOf(spec);
    if (ports.every((p) => !nodePortOf(p) || oldValues.has(nodePortOf(p)))) for (const p of ports) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec) && healthCheckNodePortOf(spec) === healthCheckNodePortOf(oldSpec)) {
    delete spec.healthCheckNodePort;
  }
  const external = (t: string | undefined) => t === 'NodePort' || t === 'LoadBalancer';
  if (external(oldSpec.type) && !external(spec.type) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
}
