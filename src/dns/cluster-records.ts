/**
 * What cluster DNS knows about the cluster, read from informers on Namespaces, Services and
 * EndpointSlices (Pods are not watched: pod A records come from the queried name itself, as
 * CoreDNS's `pods insecure` mode does). Indexed for the lookups a query needs.
 */
import type { KubeObject } from '../api/object.js';
import type { Clock } from '../base/clock.js';
import { Resources, type Informer, type InformerFactory } from '../client/index.js';
import { SERVICE_NAME_LABEL, clusterIPsOf, type EndpointSlice, type Service } from './cluster-objects.js';

const BY_SERVICE = 'dns/service';
const BY_CLUSTER_IP = 'dns/clusterIP';
const BY_ADDRESS = 'dns/address';

/** A ready endpoint address of a Service, with the DNS label it is known by. */
export interface EndpointAddress {
  ip: string;
  /** `hostname` from the slice, else the address with dashes (CoreDNS's endpointHostname). */
  hostname: string;
  ports: { name: string; protocol: string; port: number }[];
}

export interface ClusterData {
  namespaceExists(namespace: string): boolean;
  service(namespace: string, name: string): Service | undefined;
  /** Ready addresses behind a Service, deduplicated by (hostname, IP). */
  endpoints(svc: Service): EndpointAddress[];
  servicesByClusterIP(ip: string): Service[];
  /** Services (of any type) whose slices list `ip`, with that endpoint's hostname. */
  endpointsByAddress(ip: string): { service: Service; hostname: string }[];
  /** SOA serial: seconds of the last change seen. */
  serial(): number;
}

export function dashedIP(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

function sliceServiceKey(s: KubeObject): string[] {
  const name = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return name && s.metadata.namespace ? [`${s.metadata.namespace}/${name}`] : [];
}

export class ClusterRecords implements ClusterData {
  private readonly namespaces: Informer;
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private lastChange: number;

  constructor(informers: InformerFactory, private readonly clock: Clock) {
    this.lastChange = clock.now();
    this.namespaces = informers.forResource(Resources.namespaces);
    this.services = informers.forResource<Service>(Resources.services);
    this.slices = informers.forResource<EndpointSlice>(Resources.endpointslices);
    this.services.addIndexer(BY_CLUSTER_IP, (s) => clusterIPsOf(s as Service));
    this.slices.addIndexer(BY_SERVICE, sliceServiceKey);
    this.slices.addIndexer(BY_ADDRESS, (s) => (s as EndpointSlice).endpoints?.flatMap((e) => e.addresses ?? []) ?? []);
    const touch = { onAdd: () => this.touch(), onUpdate: () => this.touch(), onDelete: () => this.touch() };
    for (const inf of [this.namespaces, this.services, this.slices] as Informer[]) inf.addEventHandler(touch);
  }

  private touch(): void {
    this.lastChange = this.clock.now();
  }

  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([this.namespaces.waitForSync(signal), this.services.waitForSync(signal), this.slices.waitForSync(signal)]);
  }

  namespaceExists(namespace: string): boolean {
    return this.namespaces.store.getByName(undefined, namespace) !== undefined;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services.store.getByName(namespace, name);
  }

  endpoints(svc: Service): EndpointAddress[] {
    const out = new Map<string, EndpointAddress>();
    for (const slice of this.slices.store.byIndex(BY_SERVICE, `${svc.metadata.namespace}/${svc.metadata.name}`)) {
      if (slice.addressType === 'FQDN') continue;
      const ports = (slice.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port ?? 0 })).filter((p) => p.port > 0);
      for (const ep of slice.endpoints ?? []) {
        // NOTE: unset `ready` means ready (EndpointSlice API: "nil should be interpreted as true").
        if (ep.conditions?.ready === false && !svc.spec?.publishNotReadyAddresses) continue;
        for (const ip of ep.addresses ?? []) {
          const hostname = ep.hostname || dashedIP(ip);
          const key = `${hostname}/${ip}`;
          const seen = out.get(key);
          if (seen) seen.ports.push(...ports.filter((p) => !seen.ports.some((q) => q.name === p.name && q.protocol === p.protocol)));
          else out.set(key, { ip, hostname, ports: [...ports] });
        }
      }
    }
    return [...out.values()];
  }

  servicesByClusterIP(ip: string): Service[] {
    return this.services.store.byIndex(BY_CLUSTER_IP, ip);
  }

  endpointsByAddress(ip: string): { service: Service; hostname: string }[] {
    const out: { service: Service; hostname: string }[] = [];
    for (const slice of this.slices.store.byIndex(BY_ADDRESS, ip)) {
      const [key] = sliceServiceKey(slice);
      const svc = key ? this.services.store.get(key) : undefined;
      if (!svc) continue;
      for (const ep of slice.endpoints ?? []) {
        if (ep.addresses?.includes(ip)) out.push({ service: svc, hostname: ep.hostname || dashedIP(ip) });
      }
    }
    return out;
  }

  serial(): number {
    return Math.floor(this.lastChange / 1000);
  }
}
