/**
 * Pod IPs of one simulated node: host addresses of its podCIDR (from node IPAM) or, until
 * one is assigned, of a fallback range. The first usable address is left for the node's
 * bridge, as the CNI bridge plugin does with its gateway.
 */
export function parseIPv4(s: string): number {
  const parts = s.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address "${s}"`);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class PodIPs {
  private base = 0;
  private size = 0;
  private cidr = '';
  private readonly used = new Set<number>();
  private hint = 2;

  constructor(cidr: string) {
    this.setCIDR(cidr);
  }

  /** Switches to a new range (e.g. podCIDR assigned); addresses already given stay as they are. */
  setCIDR(cidr: string): void {
    if (cidr === this.cidr) return;
    const [addr, bits] = cidr.split('/');
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`unsupported pod CIDR "${cidr}"`);
    this.size = 2 ** (32 - prefix);
    this.base = (parseIPv4(addr) & ~(this.size - 1)) >>> 0;
    this.cidr = cidr;
    this.used.clear();
    this.hint = 2;
  }

  /** Marks an address as taken (pods adopted after a restart). */
  claim(ip: string): void {
    const off = parseIPv4(ip) - this.base;
    if (off > 0 && off < this.size) this.used.add(off);
  }

  allocate(): string | undefined {
    const usable = this.size - 3; // network, gateway, broadcast
    for (let i = 0; i < usable; i++) {
      const off = 2 + ((this.hint - 2 + i) % usable);
      if (this.used.has(off)) continue;
      this.used.add(off);
      this.hint = off + 1;
      return formatIPv4(this.base + off);
    }
    return undefined;
  }

  release(ip: string): void {
    this.used.delete(parseIPv4(ip) - this.base);
  }
}
