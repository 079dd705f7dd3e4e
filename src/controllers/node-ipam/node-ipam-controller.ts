/**
 * Node IPAM, the range allocator (upstream pkg/controller/nodeipam): every node gets its own
 * spec.podCIDR(s) cut from the cluster CIDR. The set of taken subnets is rebuilt from the nodes
 * themselves once the cache has synced, so a restart never hands out a subnet twice; one worker
 * keeps allocations serial.
 */
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { CidrSet } from './cidr-set.js';

function podCIDRs(node: KubeObject): string[] {
  const spec = (node.spec ?? {}) as { podCIDR?: string; podCIDRs?: string[] };
  if (spec.podCIDRs?.length) return spec.podCIDRs;
  return spec.podCIDR ? [spec.podCIDR] : [];
}

export class NodeIpamController implements Controller {
  readonly name = 'node-ipam-controller';
  readonly nodes: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly cidrs: CidrSet;
  private rebuilt = false;
  /** Allocations made but maybe not yet seen by the cache (a stale node must not get a second). */
  private readonly pending = new Map<string, string>();

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.log = ctx.log;
    this.recorder = ctx.recorder('cidrAllocator');
    this.cidrs = new CidrSet(ctx.config.clusterCIDR, ctx.config.nodeCIDRMaskSize || 24);
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.nodes = ctx.informers.forResource(Resources.nodes);
    this.nodes.addEventHandler({
      onAdd: (n) => this.queue.add(n.metadata.name!),
      onUpdate: (_o, n) => this.queue.add(n.metadata.name!),
      onDelete: (n) => {
        this.pending.delete(n.metadata.name!);
        for (const c of podCIDRs(n)) this.cidrs.release(c);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.nodes], queue: this.queue, workers: 1, log: this.log, sync: (k) => this.sync(k) });
  }

  /** Marks every subnet the nodes already hold as taken (before the first allocation). */
  private rebuild(): void {
    if (this.rebuilt) return;
    for (const n of this.nodes.store.list()) for (const c of podCIDRs(n)) this.cidrs.occupy(c);
    this.rebuilt = true;
  }

  async sync(name: string): Promise<void> {
    this.rebuild();
    const node = this.nodes.store.get(name);
    if (!node || node.metadata.deletionTimestamp) return;
    const held = podCIDRs(node);
    if (held.length) {
      this.pending.delete(name);
      for (const c of held) this.cidrs.occupy(c);
      return;
    }
    if (this.pending.has(name)) return;
    const cidr = this.cidrs.allocateNext();
    if (!cidr) {
      this.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      throw new Error(`no remaining CIDRs left to allocate for node ${name}`);
    }
    try {
      await this.client.patch(Resources.nodes, undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      this.pending.set(name, cidr);
      this.log.info('allocated podCIDR', { node: name, podCIDR: cidr });
    } catch (err) {
      this.cidrs.release(cidr);
      if (isNotFound(err)) return;
      this.recorder.event(node, 'Warning', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      throw err;
    }
  }
}
