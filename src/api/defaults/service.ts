/** Service defaulting (upstream SetDefaults_Service, plus the IP-family fields the allocator fills). */
import type { KubeObject } from '../object.js';
import { child, items, isUnset, setDefault, setDefaultString } from './set-default.js';

export function defaultService(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    const config = child(spec, 'sessionAffinityConfig');
    const clientIP = config && child(config, 'clientIP');
    if (clientIP) setDefault(clientIP, 'timeoutSeconds', 10800);
  }
  setDefaultString(spec, 'type', 'ClusterIP');
  for (const port of items(spec, 'ports')) {
    setDefaultString(port, 'protocol', 'TCP');
    // targetPort is an IntOrString: both zero values mean "same as port".
    if (isUnset(port.targetPort) || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = spec.type;
  if (type === 'NodePort' || type === 'LoadBalancer') setDefaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (type !== 'ExternalName') setDefaultString(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  if (type !== 'ExternalName') {
    // NOTE: upstream fills these in the service REST allocator, for a single-stack IPv4 cluster;
    // they are defaulted here so every path that creates a Service sees the same object.
    setDefaultString(spec, 'ipFamilyPolicy', 'SingleStack');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && isUnset(spec.clusterIPs)) {
    spec.clusterIPs = [spec.clusterIP];
  }
}
