/** The host's resolver configuration (resolv.conf(5)), for upstreams and pod DNS. */
export interface ResolvConf {
  servers: string[];
  searches: string[];
  options: string[];
}

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...rest] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    // The last `search` or `domain` line wins (resolv.conf(5)).
    else if (key === 'search') out.searches = rest;
    else if (key === 'domain') out.searches = rest.slice(0, 1);
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

/** A loopback resolver (systemd-resolved, dnsmasq) is unreachable from a pod's network namespace. */
export function withoutLoopback(servers: string[]): string[] {
  return servers.filter((s) => !s.startsWith('127.') && s !== '::1');
}
