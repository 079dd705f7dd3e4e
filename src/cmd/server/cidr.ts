/** IPv4 CIDR helpers for the service and cluster ranges. */
import { SkiffError } from '../../base/errors.js';

export class CIDRError extends SkiffError {
  constructor(cidr: string) {
    super('InvalidCIDR', `invalid CIDR address: ${cidr}`);
  }
}

export function parseIPv4(ip: string): number | undefined {
  const m = ip.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCIDR(cidr: string): { base: number; bits: number; size: number } {
  const [ip, bitsText] = cidr.split('/');
  const base = parseIPv4(ip);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new CIDRError(cidr);
  const size = 2 ** (32 - bits);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return { base: (base & mask) >>> 0, bits, size };
}

/** The `kubernetes` service's address: the first usable IP of the service CIDR. */
export function firstServiceIP(cidr: string): string {
  return formatIPv4(parseCIDR(cidr).base + 1);
}
