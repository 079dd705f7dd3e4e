/** The kubelet-managed /etc/hosts of a pod: localhost lines, the pod's own name, hostAliases. */
import type { Pod } from './pod-types.js';

export function podHostname(pod: Pod): { hostname: string; fqdn?: string } {
  const spec = pod.spec;
  const hostname = (spec.hostname || pod.metadata.name || '').slice(0, 63).replace(/[-.]+$/, '');
  const fqdn = spec.subdomain ? `${hostname}.${spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local` : undefined;
  return { hostname, fqdn };
}

export function renderHostsFile(pod: Pod, podIPs: string[]): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const { hostname, fqdn } = podHostname(pod);
  for (const ip of podIPs) lines.push(fqdn ? `${ip}\t${fqdn}\t${hostname}` : `${ip}\t${hostname}`);
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return lines.join('\n') + '\n';
}
