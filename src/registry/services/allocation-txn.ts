/**
 * The allocations one write makes, so a failure can undo exactly them. In dry-run mode it only
 * checks and picks values; nothing is written to the store.
 */
import { AllocationError } from './allocation-error.js';
import type { AllocationOwner } from './allocation-record.js';
import type { ServiceIPAllocator } from './ip-allocator.js';
import type { NodePortAllocator } from './port-allocator.js';

export class AllocationTxn {
  private readonly ips = new Set<string>();
  private readonly ports = new Set<number>();

  constructor(
    private readonly ipAllocator: ServiceIPAllocator,
    private readonly portAllocator: NodePortAllocator,
    private readonly owner: AllocationOwner,
    private readonly dryRun: boolean,
  ) {}

  /** Takes `requested`, or any free address when it is ''. */
  async ip(requested: string): Promise<string> {
    if (requested) {
      if (this.ips.has(requested)) throw new AllocationError('Allocated', 'provided IP is already allocated');
      if (this.dryRun) await this.ipAllocator.check(requested);
      else await this.ipAllocator.allocate(requested, this.owner);
      this.ips.add(requested);
      return requested;
    }
    const ip = this.dryRun ? await this.ipAllocator.peekNext(this.ips) : await this.ipAllocator.allocateNext(this.owner);
    this.ips.add(ip);
    return ip;
  }

  /** Takes `requested`, or any free port when it is 0. */
  async port(requested: number): Promise<number> {
    if (requested) {
      if (this.ports.has(requested)) throw new AllocationError('Allocated', 'provided port is already allocated');
      if (this.dryRun) await this.portAllocator.check(requested);
      else await this.portAllocator.allocate(requested, this.owner);
      this.ports.add(requested);
      return requested;
    }
    const port = this.dryRun ? await this.portAllocator.peekNext(this.ports) : await this.portAllocator.allocateNext(this.owner);
    this.ports.add(port);
    return port;
  }

  async revert(): Promise<void> {
    if (this.dryRun) return;
    for (const ip of this.ips) await this.ipAllocator.release(ip, this.owner.uid);
    for (const port of this.ports) await this.portAllocator.release(port, this.owner.uid);
    this.ips.clear();
    this.ports.clear();
  }
}
