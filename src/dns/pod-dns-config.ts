/**
 * A pod's resolver configuration, built as upstream's kubelet builds it (pkg/kubelet/network/dns):
 *   ClusterFirst            cluster DNS servers, search `<ns>.svc.<domain> svc.<domain> <domain>`
 *                           then the host's search domains, `options ndots:5`; a hostNetwork pod
 *                           gets Default instead, and so does every pod while no cluster DNS
 *                           IP is configured;
 *   ClusterFirstWithHostNet ClusterFirst, also for hostNetwork pods;
 *   Default                 the host's resolv.conf;
 *   None                    nothing but the pod's dnsConfig.
 * The pod's dnsConfig is then appended (duplicates dropped, options of the same name replaced)
 * and the result cut to the resolver limits.
 */
import type { ResolvConf } from './resolv-conf.js';

export interface PodDNSConfigInput {
  namespace: string;
  dnsPolicy?: string;
  hostNetwork?: boolean;
  dnsConfig?: {
    nameservers?: string[];
    searches?: string[];
    options?: { name?: string; value?: string }[];
  };
}

export interface PodDNSSettings {
  /** Cluster DNS service IPs (`--cluster-dns`); empty when there is no cluster DNS. */
  clusterDNS: string[];
  clusterDomain: string;
  /** The host's resolver configuration (the kubelet's --resolv-conf). */
  host: ResolvConf;
}

/** validation.MaxDNSNameservers, MaxDNSSearchPaths and MaxDNSSearchListChars. */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;

export type PodDNSType = 'cluster' | 'host' | 'none';

export function podDNSType(pod: Pick<PodDNSConfigInput, 'dnsPolicy' | 'hostNetwork'>): PodDNSType {
  switch (pod.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'Default':
      return 'host';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    default:
      return pod.hostNetwork ? 'host' : 'cluster';
  }
}

export function podDNSConfig(pod: PodDNSConfigInput, settings: PodDNSSettings): ResolvConf {
  const host = { servers: [...settings.host.servers], searches: settings.host.searches.map(trimDot), options: [...settings.host.options] };
  let cfg: ResolvConf;
  const type = podDNSType(pod);
  if (type === 'none') cfg = { servers: [], searches: [], options: [] };
  else if (type === 'cluster' && settings.clusterDNS.length > 0) {
    const d = trimDot(settings.clusterDomain);
    const cluster = d ? [`${pod.namespace}.svc.${d}`, `svc.${d}`, d] : [];
    cfg = { servers: [...settings.clusterDNS], searches: [...cluster, ...host.searches], options: ['ndots:5'] };
  } else cfg = host;
  const extra = pod.dnsConfig;
  if (extra) {
    cfg.servers = unique([...cfg.servers, ...(extra.nameservers ?? [])]);
    cfg.searches = unique([...cfg.searches, ...(extra.searches ?? []).map(trimDot)]);
    cfg.options = mergeOptions(cfg.options, extra.options ?? []);
  }
  return fitLimits(cfg);
}

function trimDot(s: string): string {
  return s.replace(/\.$/, '');
}

function unique(xs: string[]): string[] {
  return [...new Set(xs.filter((x) => x !== ''))];
}

function mergeOptions(existing: string[], extra: { name?: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of existing) byName.set(o.split(':')[0]!, o);
  for (const o of extra) if (o.name) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

function fitLimits(cfg: ResolvConf): ResolvConf {
  const servers = cfg.servers.slice(0, MAX_DNS_NAMESERVERS);
  let searches = cfg.searches.slice(0, MAX_DNS_SEARCH_PATHS);
  while (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) searches = searches.slice(0, -1);
  return { servers, searches, options: cfg.options };
}

/** resolv.conf text for the pod (what the CRI runtime writes from DNSConfig). */
export function formatResolvConf(cfg: ResolvConf): string {
  const lines: string[] = [];
  if (cfg.searches.length) lines.push(`search ${cfg.searches.join(' ')}`);
  for (const s of cfg.servers) lines.push(`nameserver ${s}`);
  if (cfg.options.length) lines.push(`options ${cfg.options.join(' ')}`);
  return lines.join('\n') + '\n';
}
