/**
 * Registers the Node, then keeps it alive: one timer renews the Lease in kube-node-lease
 * every 10 s and reports node status every 60 s (or at the next tick after `markChanged`).
 */
import type { KubeObject } from '../../api/object.js';
import type { Clock, Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';
import { rfc3339Micro } from '../../client/time-format.js';
import type { HostFacts } from './host-facts.js';
import { nodeLabels, nodeObject, nodeStatus, type NodeIdentity } from './node-object.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;

export interface NodeHeartbeatOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  facts: HostFacts;
  identity: () => NodeIdentity;
  leaseRenewMs?: number;
  statusEveryMs?: number;
}

type Conditions = Parameters<typeof nodeStatus>[3];

export class NodeHeartbeat {
  private timer: Timer | undefined;
  private nodeUid: string | undefined;
  private lastStatusAt = 0;
  private changed = false;
  private conditions: Conditions;
  private beating = false;

  constructor(private readonly opts: NodeHeartbeatOptions) {}

  /** Creates the Node, or brings an existing one's labels and status up to date. */
  async register(): Promise<KubeObject> {
    const { client, clock, facts } = this.opts;
    const id = this.opts.identity();
    const desired = nodeObject(facts, id, clock.now());
    let node: KubeObject;
    try {
      node = await client.create(Resources.nodes, undefined, desired);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // A re-registering kubelet reconciles its own labels, and leaves the others alone.
      node = await client.patch(Resources.nodes, undefined, id.name, 'merge', {
        metadata: { labels: nodeLabels(id.name, facts, id.labels) },
      });
    }
    this.nodeUid = node.metadata.uid;
    this.conditions = (node.status as { conditions?: Conditions } | undefined)?.conditions;
    node = await this.reportStatus();
    return node;
  }

  /** Node status changed (e.g. the runtime version); report it at the next tick. */
  markChanged(): void {
    this.changed = true;
  }

  start(): void {
    this.timer = this.opts.clock.setInterval(() => void this.beat(), this.opts.leaseRenewMs ?? 10_000);
    void this.beat();
  }

  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.renewLease();
      const every = this.opts.statusEveryMs ?? 60_000;
      if (this.changed || this.opts.clock.now() - this.lastStatusAt >= every) await this.reportStatus();
    } catch (err) {
      this.opts.log.warn('node heartbeat failed', { error: err });
    } finally {
      this.beating = false;
    }
  }

  async reportStatus(): Promise<KubeObject> {
    const { client, clock, facts } = this.opts;
    const id = this.opts.identity();
    const now = clock.now();
    this.changed = false;
    const status = nodeStatus(facts, id, now, this.conditions);
    this.conditions = status.conditions as Conditions;
    const node = await client.patch<KubeObject>(Resources.nodes, undefined, id.name, 'merge', { status }, { subresource: 'status' });
    this.lastStatusAt = now;
    return node;
  }

  private async renewLease(): Promise<void> {
    const { client, clock } = this.opts;
    const name = this.opts.identity().name;
    const renewTime = rfc3339Micro(clock.now());
    try {
      await client.patch(Resources.leases, NODE_LEASE_NAMESPACE, name, 'merge', {
        spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await client.create(Resources.leases, NODE_LEASE_NAMESPACE, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: NODE_LEASE_NAMESPACE,
          ...(this.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: this.nodeUid }] } : {}),
        },
        spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
      });
    }
  }

  close(): void {
    this.timer?.cancel();
  }
}

/** Waits until node IPAM has given the node a podCIDR. */
export async function waitForPodCIDR(client: ApiClient, name: string, clock: Clock, signal?: AbortSignal): Promise<string> {
  for (;;) {
    if (signal?.aborted) throw new Error('aborted while waiting for the podCIDR');
    const node = await client.get<KubeObject>(Resources.nodes, undefined, name).catch(() => undefined);
    const cidr = (node?.spec as { podCIDR?: string } | undefined)?.podCIDR;
    if (cidr) return cidr;
    await clock.sleep(200, signal);
  }
}
