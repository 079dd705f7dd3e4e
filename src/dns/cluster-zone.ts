/**
 * Answers for names in the cluster domain, as CoreDNS's kubernetes plugin gives them (the
 * Kubernetes DNS-Based Service Discovery specification):
 *   <svc>.<ns>.svc.<zone>                 A/AAAA: ClusterIPs, or ready endpoints when headless;
 *                                         CNAME for ExternalName; SRV for every port
 *   <hostname>.<svc>.<ns>.svc.<zone>      A/AAAA of that endpoint (StatefulSet pods)
 *   _<port>._<proto>.<svc>.<ns>.svc.<zone> SRV
 *   <a-b-c-d>.<ns>.pod.<zone>             A from the name itself (`pods insecure`)
 *   <ns>.svc.<zone>, svc.<zone>, pod.<zone>  empty non-terminals: NODATA
 *   dns-version.<zone>                    TXT schema version
 * and PTR for ClusterIPs and endpoint addresses. A name that does not exist is NXDOMAIN; a
 * name that exists without records of the asked type is NOERROR with no answers (NODATA).
 * Negative answers carry the zone's SOA in the authority section.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { RCode, RRClass, RRType, canonicalName, type Question, type RecordData, type ResourceRecord } from './wire/message.js';
import { clusterIPsOf, isHeadless, type Service } from './cluster-objects.js';
import type { ClusterData, EndpointAddress } from './cluster-records.js';
import { ipFromReverseName } from './reverse-name.js';

/** The version of the DNS schema the answers follow (the specification's dns-version). */
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface ZoneOptions {
  /** The cluster domain, without a trailing dot. */
  zone: string;
  ttl: number;
  /** Addresses of the cluster DNS service, for NS glue and `ns.dns.<zone>`. */
  dnsIPs: string[];
}

export interface ZoneAnswer {
  rcode: number;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** An ExternalName target outside the zone whose records the server should append. */
  chase?: string;
}

export function inZone(name: string, zone: string): boolean {
  const n = canonicalName(name);
  return n === zone || n.endsWith(`.${zone}`);
}

/** Answers a question for the cluster zone; undefined when the name is not the zone's to answer. */
export function answerQuestion(q: Question, data: ClusterData, opts: ZoneOptions): ZoneAnswer | undefined {
  const zone = canonicalName(opts.zone);
  if (q.type === RRType.PTR) {
    const ip = ipFromReverseName(q.name);
    if (ip) return reverse(q, ip, data, opts, zone);
  }
  if (!inZone(q.name, zone)) return undefined;
  const rest = canonicalName(q.name).slice(0, -zone.length).replace(/\.$/, '');
  const labels = rest === '' ? [] : rest.split('.');
  const a = new Answerer(q, data, opts, zone);
  if (labels.length === 0) return a.apex();
  const kind = labels[labels.length - 1];
  const inner = labels.slice(0, -1);
  if (kind === 'svc') return a.svc(inner);
  if (kind === 'pod') return a.pod(inner);
  if (labels.length === 1 && labels[0] === 'dns-version') return a.records([{ type: RRType.TXT, texts: [DNS_SCHEMA_VERSION] }]);
  if (labels.length === 2 && labels[0] === 'ns' && labels[1] === 'dns') return a.addresses(opts.dnsIPs);
  if (labels.length === 1 && labels[0] === 'dns') return a.nodata();
  return a.nxdomain();
}

class Answerer {
  constructor(
    private readonly q: Question,
    private readonly data: ClusterData,
    private readonly opts: ZoneOptions,
    private readonly zone: string,
  ) {}

  private rr(name: string, data: RecordData): ResourceRecord {
    return { name, class: RRClass.IN, ttl: this.opts.ttl, data };
  }

  soa(): ResourceRecord {
    return soaRecord(this.zone, this.opts.ttl, this.data.serial());
  }

  nxdomain(): ZoneAnswer {
    return { rcode: RCode.NXDOMAIN, answers: [], authorities: [this.soa()], additionals: [] };
  }

  nodata(): ZoneAnswer {
    return { rcode: RCode.NOERROR, answers: [], authorities: [this.soa()], additionals: [] };
  }

  /** Records for the queried name; those of other types make NODATA. */
  records(all: RecordData[], additionals: ResourceRecord[] = []): ZoneAnswer {
    const match = all.filter((d) => this.q.type === d.type || this.q.type === RRType.ANY);
    if (match.length === 0) return this.nodata();
    return { rcode: RCode.NOERROR, answers: match.map((d) => this.rr(this.q.name, d)), authorities: [], additionals };
  }

  addresses(ips: string[]): ZoneAnswer {
    return this.records(ips.map(addressData));
  }

  apex(): ZoneAnswer {
    const ns = `ns.dns.${this.zone}`;
    const glue = this.opts.dnsIPs.map((ip) => this.rr(ns, addressData(ip)));
    if (this.q.type === RRType.SOA) return { rcode: RCode.NOERROR, answers: [this.soa()], authorities: [], additionals: [] };
    if (this.q.type === RRType.NS) return { rcode: RCode.NOERROR, answers: [this.rr(this.q.name, { type: RRType.NS, target: ns })], authorities: [], additionals: glue };
    return this.nodata();
  }

  pod(labels: string[]): ZoneAnswer {
    if (labels.length === 0) return this.nodata();
    if (labels.length !== 2) return this.nxdomain();
    const [host, ns] = labels as [string, string];
    if (!this.data.namespaceExists(ns)) return this.nxdomain();
    const ip = ipFromDashed(host);
    return ip ? this.addresses([ip]) : this.nxdomain();
  }

  svc(labels: string[]): ZoneAnswer {
    if (labels.length === 0) return this.nodata();
    const ns = labels[labels.length - 1]!;
    if (!this.data.namespaceExists(ns)) return this.nxdomain();
    if (labels.length === 1) return this.nodata();
    const svc = this.data.service(ns, labels[labels.length - 2]!);
    if (!svc) return this.nxdomain();
    const prefix = labels.slice(0, -2);
    if (prefix.length === 0) return this.service(svc);
    if (prefix.length === 1 && !prefix[0]!.startsWith('_')) return this.endpointHost(svc, prefix[0]!);
    const port = prefix.length === 2 ? unscore(prefix[0]!) : undefined;
    const proto = unscore(prefix[prefix.length - 1]!);
    if (prefix.length > 2 || proto === undefined || (prefix.length === 2 && port === undefined)) return this.nxdomain();
    return this.service(svc, { name: port, protocol: proto });
  }

  private serviceName(svc: Service): string {
    return `${svc.metadata.name}.${svc.metadata.namespace}.svc.${this.zone}`;
  }

  private service(svc: Service, filter?: { name?: string; protocol: string }): ZoneAnswer {
    const keep = (p: { name?: string; protocol?: string }) =>
      !filter || ((filter.name === undefined || (p.name ?? '').toLowerCase() === filter.name) && (p.protocol ?? 'TCP').toLowerCase() === filter.protocol);
    if (svc.spec?.type === 'ExternalName') {
      if (filter || !svc.spec.externalName) return this.nxdomain();
      const target = canonicalName(svc.spec.externalName);
      const answer = { rcode: RCode.NOERROR, answers: [this.rr(this.q.name, { type: RRType.CNAME, target })], authorities: [], additionals: [] };
      if (this.q.type === RRType.CNAME) return answer;
      return { ...answer, chase: target };
    }
    if (!isHeadless(svc)) {
      const ports = (svc.spec?.ports ?? []).filter(keep);
      if (filter && ports.length === 0) return this.nxdomain();
      const target = this.serviceName(svc);
      const ips = clusterIPsOf(svc);
      const weight = srvWeight(ports.length);
      const srv: RecordData[] = ports.map((p) => ({ type: RRType.SRV, priority: 0, weight, port: p.port, target }));
      return this.records([...ips.map(addressData), ...srv], ips.map((ip) => this.rr(target, addressData(ip))));
    }
    const eps = this.data.endpoints(svc);
    const selected = filter ? eps.filter((e) => e.ports.some(keep)) : eps;
    if (filter && selected.length === 0 && !(svc.spec?.ports ?? []).some(keep)) return this.nxdomain();
    const srv: RecordData[] = [];
    const glue: ResourceRecord[] = [];
    const count = selected.reduce((n, e) => n + e.ports.filter(keep).length, 0);
    for (const e of selected) {
      const host = `${e.hostname}.${this.serviceName(svc)}`;
      for (const p of e.ports.filter(keep)) srv.push({ type: RRType.SRV, priority: 0, weight: srvWeight(count), port: p.port, target: host });
      glue.push(this.rr(host, addressData(e.ip)));
    }
    return this.records([...uniqueAddresses(selected), ...srv], glue);
  }

  private endpointHost(svc: Service, hostname: string): ZoneAnswer {
    if (svc.spec?.type === 'ExternalName') return this.nxdomain();
    const eps = this.data.endpoints(svc).filter((e) => e.hostname.toLowerCase() === hostname);
    if (eps.length === 0) return this.nxdomain();
    return this.records(uniqueAddresses(eps));
  }
}

function reverse(q: Question, ip: string, data: ClusterData, opts: ZoneOptions, zone: string): ZoneAnswer | undefined {
  const targets = new Set<string>();
  for (const svc of data.servicesByClusterIP(ip)) targets.add(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}`);
  for (const { service, hostname } of data.endpointsByAddress(ip)) targets.add(`${hostname}.${service.metadata.name}.${service.metadata.namespace}.svc.${zone}`);
  // Addresses the cluster does not know fall through to the upstream resolvers, as with
  // CoreDNS's `fallthrough in-addr.arpa ip6.arpa`.
  if (targets.size === 0) return undefined;
  return {
    rcode: RCode.NOERROR,
    answers: [...targets].map((target) => ({ name: q.name, class: RRClass.IN, ttl: opts.ttl, data: { type: RRType.PTR, target } })),
    authorities: [],
    additionals: [],
  };
}

export function soaRecord(zone: string, ttl: number, serial: number): ResourceRecord {
  return {
    name: zone,
    class: RRClass.IN,
    ttl,
    data: { type: RRType.SOA, mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

function addressData(ip: string): RecordData {
  return { type: isIPv6(ip) ? RRType.AAAA : RRType.A, address: ip };
}

function uniqueAddresses(eps: EndpointAddress[]): RecordData[] {
  return [...new Set(eps.map((e) => e.ip))].map(addressData);
}

/** Weights share 100 among the records of one answer, as CoreDNS does. */
function srvWeight(n: number): number {
  return n > 0 ? Math.floor(100 / n) : 100;
}

function unscore(label: string): string | undefined {
  return label.startsWith('_') && label.length > 1 ? label.slice(1) : undefined;
}

/** `10-42-0-5` → 10.42.0.5; `fd00--1` → fd00::1. */
function ipFromDashed(label: string): string | undefined {
  const v4 = label.replace(/-/g, '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replace(/-/g, ':');
  return isIPv6(v6) ? v6 : undefined;
}
