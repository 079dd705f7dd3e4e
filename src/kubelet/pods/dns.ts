/**
 * A pod's DNS configuration as upstream's kubelet derives it from dnsPolicy: cluster DNS
 * (search path `<ns>.svc.<domain>`, ndots:5) when a cluster DNS IP is configured, the host's
 * resolv.conf otherwise, plus the pod's own dnsConfig.
 */
import { readFileSync } from 'node:fs';
import type { DNSConfig } from '../cri/types.js';
import type { Pod } from './pod-types.js';

export interface ClusterDNS {
  /** Cluster DNS service IPs; empty until cluster DNS exists (pods then use the host's resolvers). */
  servers: string[];
  domain: string;
  /** The host's resolv.conf. */
  resolvConf: string;
}

export function parseResolvConf(text: string): Required<DNSConfig> {
  const out: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...rest] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.searches = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  // A loopback resolver (systemd-resolved, dnsmasq) is unreachable from a pod's network namespace.
  out.servers = out.servers.filter((s) => !s.startsWith('127.') && s !== '::1');
  return out;
}

function hostDNS(resolvConf: string): Required<DNSConfig> {
  try {
    return parseResolvConf(readFileSync(resolvConf, 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

export function podDNSConfig(pod: Pod, dns: ClusterDNS): DNSConfig {
  const spec = pod.spec;
  let policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  if ((policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') && dns.servers.length === 0) policy = 'Default';
  let cfg: Required<DNSConfig>;
  if (policy === 'None') cfg = { servers: [], searches: [], options: [] };
  else if (policy === 'Default') cfg = hostDNS(dns.resolvConf);
  else {
    const host = hostDNS(dns.resolvConf);
    const ns = pod.metadata.namespace ?? 'default';
    cfg = {
      servers: [...dns.servers],
      searches: [`${ns}.svc.${dns.domain}`, `svc.${dns.domain}`, dns.domain, ...host.searches],
      options: ['ndots:5'],
    };
  }
  const extra = spec.dnsConfig;
  if (extra) {
    cfg.servers = unique([...cfg.servers, ...(extra.nameservers ?? [])]);
    cfg.searches = unique([...cfg.searches, ...(extra.searches ?? [])]);
    const options = new Map(cfg.options.map((o) => [o.split(':')[0], o]));
    for (const o of extra.options ?? []) options.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    cfg.options = [...options.values()];
  }
  // Resolvers honour at most 6 search domains.
  cfg.searches = cfg.searches.slice(0, 32);
  return cfg;
}
