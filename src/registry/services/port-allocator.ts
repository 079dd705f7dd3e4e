/**
 * Service NodePorts from the node port range, one storage key per port
 * (upstream pkg/registry/core/service/portallocator, with the bitmap replaced by keys).
 * Dynamic allocation prefers ports above the static band, leaving the low ones for explicit
 * requests.
 */
import type { Clock } from '../../base/clock.js';
import { realClock } from '../../base/clock.js';
import type { Storage } from '../../storage/interface.js';
import { AllocationError } from './allocation-error.js';
import { AllocationKeys, SERVICE_NODE_PORTS_PREFIX, type AllocationEntry, type AllocationOwner } from './allocation-record.js';
import { claimFree, staticBandSize } from './claim-free.js';

export interface PortRange {
  base: number;
  size: number;
}

/** `30000-32767` or a single port. */
export function parsePortRange(text: string): PortRange {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 65535 || hi < lo) {
    throw new Error(`invalid node port range: ${text}`);
  }
  return { base: lo, size: hi - lo + 1 };
}

export function formatPortRange(r: PortRange): string {
  return `${r.base}-${r.base + r.size - 1}`;
}

export interface PortAllocatorConfig {
  storage: Storage;
  nodePortRange: string;
  clock?: Pick<Clock, 'now'>;
  random?: () => number;
}

export class NodePortAllocator {
  readonly range: PortRange;
  private readonly keys: AllocationKeys;
  private readonly random: () => number;

  constructor(cfg: PortAllocatorConfig) {
    this.range = parsePortRange(cfg.nodePortRange);
    this.keys = new AllocationKeys(cfg.storage, SERVICE_NODE_PORTS_PREFIX, cfg.clock ?? realClock);
    this.random = cfg.random ?? Math.random;
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.range.base && port < this.range.base + this.range.size;
  }

  private checkRange(port: number): void {
    if (!this.contains(port)) {
      throw new AllocationError(
        'NotInRange',
        `provided port is not in the valid range. The range of valid ports is ${formatPortRange(this.range)}`,
      );
    }
  }

  async allocate(port: number, owner: AllocationOwner): Promise<void> {
    this.checkRange(port);
    if (!(await this.keys.claim(String(port), owner))) throw new AllocationError('Allocated', 'provided port is already allocated');
  }

  /** What `allocate` would say, without taking anything (dry run). */
  async check(port: number): Promise<void> {
    this.checkRange(port);
    if (await this.keys.holder(String(port))) throw new AllocationError('Allocated', 'provided port is already allocated');
  }

  async allocateNext(owner: AllocationOwner): Promise<number> {
    return this.next((p) => this.keys.claim(String(p), owner));
  }

  /** A port that is free right now; takes nothing (dry run). */
  async peekNext(exclude: ReadonlySet<number> = new Set()): Promise<number> {
    return this.next(async (p) => !exclude.has(p) && !(await this.keys.holder(String(p))));
  }

  private async next(tryPort: (port: number) => Promise<boolean>): Promise<number> {
    const { base, size } = this.range;
    const offset = staticBandSize(size, 32, 16, 128);
    const n = await claimFree(
      [
        { lo: offset, hi: size - 1 },
        { lo: 0, hi: offset - 1 },
      ],
      {
        tryClaim: (o) => tryPort(base + o),
        taken: async () => new Set((await this.keys.list()).map((e) => Number(e.value) - base)),
        random: this.random,
      },
    );
    if (n === undefined) throw new AllocationError('Full', 'range is full');
    return base + n;
  }

  release(port: number, ownerUid?: string): Promise<boolean> {
    return this.keys.release(String(port), ownerUid);
  }

  holder(port: number): Promise<AllocationEntry | undefined> {
    return this.keys.holder(String(port));
  }

  list(): Promise<AllocationEntry[]> {
    return this.keys.list();
  }
}
