/** Reverse-lookup names (RFC 1035 3.5 in-addr.arpa, RFC 3596 ip6.arpa) to and from IPs. */
import { isIPv4, isIPv6 } from 'node:net';
import { ipToBytes, ipv6ToString } from './wire/ip-address.js';

/** The IP a PTR query name stands for, or undefined when it names no whole address. */
export function ipFromReverseName(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return undefined;
    const ip = parts.reverse().join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    return ipv6ToString(Buffer.from(nibbles.reverse().join(''), 'hex'));
  }
  return undefined;
}

export function reverseNameOf(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  return `${[...ipToBytes(ip).toString('hex')].reverse().join('.')}.ip6.arpa`;
}

export function isReverseName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === 'in-addr.arpa' || n.endsWith('.in-addr.arpa') || n === 'ip6.arpa' || n.endsWith('.ip6.arpa');
}
