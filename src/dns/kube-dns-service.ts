/**
 * The `kube-system/kube-dns` Service that pods' resolv.conf points at (`--cluster-dns`,
 * default 10.43.0.10), shaped as k3s's CoreDNS manifest makes it.
 *
 * NOTE: unlike k3s there is no selector: no CoreDNS pods exist, the DNS server runs inside
 * skiff on every node, and the service proxy routes this ClusterIP to it. Without a selector
 * the EndpointSlice controller leaves the Service's endpoints to whoever serves it.
 */
import { Resources, isAlreadyExists, isNotFound, type ApiClient } from '../client/index.js';
import type { Service } from './cluster-objects.js';

export const DEFAULT_CLUSTER_DNS_IP = '10.43.0.10';
export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_NAME = 'kube-dns';

export function kubeDNSService(clusterDNSIP: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBE_DNS_NAME,
      namespace: KUBE_DNS_NAMESPACE,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: clusterDNSIP,
      clusterIPs: [clusterDNSIP],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
}

/**
 * Creates the kube-dns Service unless it exists. An existing one is left as it is (an admin
 * may have changed it); its ClusterIP is immutable, so a different one is reported, not fixed.
 */
export async function ensureKubeDNSService(client: ApiClient, clusterDNSIP = DEFAULT_CLUSTER_DNS_IP): Promise<{ service: Service; created: boolean; clusterIPMismatch: boolean }> {
  // Read first: a second create would collide on the ClusterIP allocation (Invalid) before
  // the name check (AlreadyExists) could say the Service is already there.
  for (let attempt = 0; ; attempt++) {
    try {
      const service = await client.get<Service>(Resources.services, KUBE_DNS_NAMESPACE, KUBE_DNS_NAME);
      return { service, created: false, clusterIPMismatch: service.spec?.clusterIP !== clusterDNSIP };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      const service = await client.create<Service>(Resources.services, KUBE_DNS_NAMESPACE, kubeDNSService(clusterDNSIP));
      return { service, created: true, clusterIPMismatch: false };
    } catch (err) {
      // Another server created it between our get and create: read theirs.
      if (!isAlreadyExists(err) || attempt > 0) throw err;
    }
  }
}
