/**
 * An IPv4 cluster CIDR cut into equal per-node subnets (upstream pkg/controller/nodeipam/ipam/
 * cidrset): which subnets are taken, and the next free one.
 */
export class CidrSet {
  private readonly base: number;
  private readonly clusterBits: number;
  readonly subnetBits: number;
  readonly size: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(clusterCIDR: string, subnetMaskSize: number) {
    const [ip, bits] = clusterCIDR.split('/');
    this.clusterBits = Number(bits);
    if (!Number.isInteger(this.clusterBits) || this.clusterBits < 0 || this.clusterBits > 32) throw new Error(`invalid cluster CIDR ${clusterCIDR}`);
    if (subnetMaskSize < this.clusterBits || subnetMaskSize > 32) throw new Error(`node CIDR mask size /${subnetMaskSize} does not fit in ${clusterCIDR}`);
    const mask = this.clusterBits === 0 ? 0 : (~0 << (32 - this.clusterBits)) >>> 0;
    this.base = (ipToInt(ip) & mask) >>> 0;
    this.subnetBits = subnetMaskSize;
    this.size = 2 ** (subnetMaskSize - this.clusterBits);
  }

  private cidrAt(i: number): string {
    return `${intToIp(this.base + i * 2 ** (32 - this.subnetBits))}/${this.subnetBits}`;
  }

  /** The subnet's index, or undefined when `cidr` is not one of this set's subnets. */
  indexOf(cidr: string): number | undefined {
    const [ip, bits] = cidr.split('/');
    if (Number(bits) !== this.subnetBits || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return undefined;
    const offset = ipToInt(ip) - this.base;
    const step = 2 ** (32 - this.subnetBits);
    if (offset < 0 || offset % step !== 0 || offset / step >= this.size) return undefined;
    return offset / step;
  }

  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used.delete(i);
  }

  /** The next free subnet (round robin), or undefined when all are taken. */
  allocateNext(): string | undefined {
    for (let n = 0; n < this.size; n++) {
      const i = (this.next + n) % this.size;
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.next = (i + 1) % this.size;
      return this.cidrAt(i);
    }
    return undefined;
  }
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + (Number(o) & 255), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
