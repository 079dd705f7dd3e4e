/**
 * The `default/kubernetes` Service and its Endpoints and EndpointSlice: how Pods reach the API
 * server (upstream controlplane kubernetesservice controller and endpoint reconciler).
 * Created when missing; existing objects are left alone so restarts and several servers are
 * safe.
 */
import type { KubeObject } from '../../api/object.js';
import { StatusError } from '../../api/status.js';
import type { Store } from '../store.js';
import { firstServiceIP } from './ip-allocator.js';

export interface BootstrapTarget {
  createIfMissing(group: string, version: string, plural: string, namespace: string, obj: KubeObject): Promise<void>;
}

export interface KubernetesServiceOptions {
  serviceCIDR: string;
  /** IP other nodes and Pods use to reach this API server. */
  advertiseAddress: string;
  /** The API server's secure port (targetPort and endpoint port). */
  apiPort: number;
}

const MANAGER = 'skiff-apiserver';

/** A target that writes through the API server's stores (`ServerParts.bound`). */
export function boundTarget(bound: (group: string, version: string, plural: string) => { store: Store } | undefined): BootstrapTarget {
  return {
    async createIfMissing(group, version, plural, namespace, obj) {
      const b = bound(group, version, plural);
      if (!b) return;
      // Look first: a Service create allocates before it can find the name taken.
      const exists = await b.store.getFromStorage(namespace, obj.metadata.name ?? '').then(
        () => true,
        (err: unknown) => {
          if (err instanceof StatusError && err.reason === 'NotFound') return false;
          throw err;
        },
      );
      if (exists) return;
      try {
        await b.store.create({ ...obj, metadata: { ...obj.metadata, namespace } }, { manager: MANAGER, dryRun: false });
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      }
    },
  };
}

export function kubernetesService(opts: KubernetesServiceOptions): KubeObject {
  const ip = firstServiceIP(opts.serviceCIDR);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: opts.apiPort }],
    },
  };
}

export function kubernetesEndpoints(opts: KubernetesServiceOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    // Mirroring to an EndpointSlice is skipped: the reconciler writes the slice itself.
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: opts.advertiseAddress }], ports: [{ name: 'https', port: opts.apiPort, protocol: 'TCP' }] }],
  };
}

export function kubernetesEndpointSlice(opts: KubernetesServiceOptions): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [opts.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: opts.apiPort, protocol: 'TCP' }],
  };
}

export async function ensureKubernetesService(target: BootstrapTarget, opts: KubernetesServiceOptions): Promise<void> {
  await target.createIfMissing('', 'v1', 'services', 'default', kubernetesService(opts));
  await target.createIfMissing('', 'v1', 'endpoints', 'default', kubernetesEndpoints(opts));
  await target.createIfMissing('discovery.k8s.io', 'v1', 'endpointslices', 'default', kubernetesEndpointSlice(opts));
}
