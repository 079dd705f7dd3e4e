/**
 * Service ClusterIPs from the service CIDR (IPv4), one storage key per address
 * (upstream pkg/registry/core/service/ipallocator, with the bitmap replaced by keys).
 *
 * The network and broadcast addresses are never handed out. The first address belongs to the
 * `kubernetes` Service and is only given on explicit request. Dynamic allocation prefers the
 * addresses above the static band, leaving the low ones for explicit requests.
 */
import type { Clock } from '../../base/clock.js';
import { realClock } from '../../base/clock.js';
import type { Storage } from '../../storage/interface.js';
import { AllocationError } from './allocation-error.js';
import { AllocationKeys, SERVICE_IPS_PREFIX, type AllocationEntry, type AllocationOwner } from './allocation-record.js';
import { claimFree, staticBandSize, type Band } from './claim-free.js';

export function parseIPv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface IPv4Range {
  /** The network address. */
  base: number;
  /** Number of addresses in the CIDR, network and broadcast included. */
  size: number;
  cidr: string;
}

export function parseServiceCIDR(cidr: string): IPv4Range {
  const [ip, bitsText] = cidr.split('/');
  const addr = parseIPv4(ip ?? '');
  const bits = Number(bitsText);
  if (addr === undefined || bitsText === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new Error(`invalid service CIDR: ${cidr}`);
  }
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const base = (addr & mask) >>> 0;
  return { base, size: 2 ** (32 - bits), cidr: `${formatIPv4(base)}/${bits}` };
}

/** The `kubernetes` Service's address: the first usable address of the CIDR. */
export function firstServiceIP(cidr: string): string {
  return formatIPv4(parseServiceCIDR(cidr).base + 1);
}

export interface IPAllocatorConfig {
  storage: Storage;
  serviceCIDR: string;
  clock?: Pick<Clock, 'now'>;
  random?: () => number;
}

export class ServiceIPAllocator {
  readonly range: IPv4Range;
  private readonly keys: AllocationKeys;
  private readonly random: () => number;

  constructor(cfg: IPAllocatorConfig) {
    this.range = parseServiceCIDR(cfg.serviceCIDR);
    this.keys = new AllocationKeys(cfg.storage, SERVICE_IPS_PREFIX, cfg.clock ?? realClock);
    this.random = cfg.random ?? Math.random;
  }

  get cidr(): string {
    return this.range.cidr;
  }

  /** True for an address that may be allocated: inside the CIDR, not network nor broadcast. */
  contains(ip: string): boolean {
    const n = parseIPv4(ip);
    if (n === undefined) return false;
    const { base, size } = this.range;
    return n > base && n < base + size - 1;
  }

  private checkRange(ip: string): void {
    if (!this.contains(ip)) {
      throw new AllocationError('NotInRange', `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    }
  }

  /** Takes a specific address for `owner`. */
  async allocate(ip: string, owner: AllocationOwner): Promise<void> {
    this.checkRange(ip);
    if (!(await this.keys.claim(ip, owner))) throw new AllocationError('Allocated', 'provided IP is already allocated');
  }

  /** What `allocate` would say, without taking anything (dry run). */
  async check(ip: string): Promise<void> {
    this.checkRange(ip);
    if (await this.keys.holder(ip)) throw new AllocationError('Allocated', 'provided IP is already allocated');
  }

  /** Takes a free address for `owner`. */
  async allocateNext(owner: AllocationOwner): Promise<string> {
    return this.next((ip) => this.keys.claim(ip, owner));
  }

  /** An address that is free right now; takes nothing (dry run). */
  async peekNext(exclude: ReadonlySet<string> = new Set()): Promise<string> {
    return this.next(async (ip) => !exclude.has(ip) && !(await this.keys.holder(ip)));
  }

  private async next(tryIP: (ip: string) => Promise<boolean>): Promise<string> {
    const { base, size } = this.range;
    // Offsets count from the first usable address, as upstream's bitmap does.
    const usable = Math.max(0, size - 2);
    const offset = staticBandSize(size, 16, 16, 256);
    const bands: Band[] = [
      { lo: Math.max(1, offset), hi: usable - 1 },
      { lo: 1, hi: Math.min(offset, usable) - 1 },
    ];
    const n = await claimFree(bands, {
      tryClaim: (o) => tryIP(formatIPv4(base + 1 + o)),
      taken: async () => {
        const set = new Set<number>();
        for (const e of await this.keys.list()) {
          const v = parseIPv4(e.value);
          if (v !== undefined) set.add(v - base - 1);
        }
        return set;
      },
      random: this.random,
    });
    if (n === undefined) throw new AllocationError('Full', 'range is full');
    return formatIPv4(base + 1 + n);
  }

  /** Frees an address; with `ownerUid`, only if that Service holds it. */
  release(ip: string, ownerUid?: string): Promise<boolean> {
    return this.keys.release(ip, ownerUid);
  }

  holder(ip: string): Promise<AllocationEntry | undefined> {
    return this.keys.holder(ip);
  }

  list(): Promise<AllocationEntry[]> {
    return this.keys.list();
  }
}
