/**
 * Simulated nodes (like KWOK): registers Nodes and their Leases, keeps them fresh, and runs
 * every pod bound to them through its lifecycle without running anything.
 *
 * Scale by data: one shared heartbeat timer for all nodes (every lease each tick, each node's
 * status every `nodeStatusEveryTicks`-th tick, spread over the ticks), one DueSchedule timer
 * for all pod transitions, and status writes coalesced per pod (at most one in flight per pod,
 * a bounded number overall; a pod whose state changed while its write was in flight is
 * written once more with the latest state).
 *
 * Deletion: a pod with a deletionTimestamp is deleted with gracePeriodSeconds=0 at once, as
 * KWOK does (simulated containers stop instantly), or after its `sim.skiff.io/termination-delay`
 * when that comes before the end of its grace period.
 */
import type { KubeObject } from '../api/object.js';
import type { Clock, Timer } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import { InformerFactory, keyOf, type Informer } from '../client/informer.js';
import { Resources } from '../client/resources.js';
import { parseTime, rfc3339Micro } from '../client/time-format.js';
import { forEachBounded } from './bounded.js';
import { DueSchedule } from './due-schedule.js';
import { leaseObject, nodeConditions, nodeObject, NODE_LEASE_NAMESPACE } from './node-object.js';
import type { NodeSpec } from './node-spec.js';
import { newPodRun, step, type PodRun } from './pod-lifecycle.js';
import { PodIPs } from './pod-ips.js';
import { renderPodStatus, type TransitionTimes } from './pod-status.js';

export interface SimNodesOptions {
  client: ApiClient;
  /** A shared factory (already started or started by its owner); default: an own one. */
  informers?: InformerFactory;
  clock: Clock;
  log: Logger;
  nodes: NodeSpec[];
  /** Lease renewal period (kubelet default 10 s). */
  leaseRenewMs?: number;
  /** Node status is reported every this many lease ticks (default 6: once a minute). */
  nodeStatusEveryTicks?: number;
  /** API calls in flight at most, per kind of work (registration, heartbeats, pod writes). */
  concurrency?: number;
}

interface SimNode {
  spec: NodeSpec;
  index: number;
  uid?: string;
  readySince: number;
  ips: PodIPs;
}

interface PodState {
  key: string;
  uid: string;
  node: SimNode;
  pod: KubeObject;
  /** Undefined for pods that were already finished when first seen: they are left as they are. */
  run?: PodRun;
  ip: string;
  times: TransitionTimes;
  version: number;
  written: number;
  writing: boolean;
  deleting: boolean;
  deleteAt?: number;
  passThrough: string;
}

const OWN_CONDITIONS = new Set(['Ready', 'ContainersReady', 'Initialized', 'PodReadyToStartContainers']);

/** The conditions others write (readiness gates, PodScheduled), as a comparable string. */
function foreignConditions(pod: KubeObject): string {
  const conds = ((pod.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return JSON.stringify(conds.filter((c) => !OWN_CONDITIONS.has(c.type)).map((c) => [c.type, c.status]));
}

export class SimNodes {
  private readonly nodes = new Map<string, SimNode>();
  private readonly pods = new Map<string, PodState>();
  private readonly schedule: DueSchedule;
  private readonly writeQueue: string[] = [];
  private inFlight = 0;
  private ticks = 0;
  private ticking = false;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  private readonly client: ApiClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly concurrency: number;

  constructor(private readonly opts: SimNodesOptions) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.log = opts.log;
    this.concurrency = opts.concurrency ?? 32;
    opts.nodes.forEach((spec, index) => this.nodes.set(spec.name, { spec, index, readySince: 0, ips: new PodIPs(spec.fallbackPodCIDR) }));
    this.schedule = new DueSchedule(opts.clock, (key) => this.onDue(key));
  }

  /** Resolves once every node is registered and the pod cache is synced. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  async run(signal: AbortSignal): Promise<void> {
    const own = !this.opts.informers;
    const factory = this.opts.informers ?? new InformerFactory(this.client, this.clock, this.log);
    const podInformer = factory.forResource(Resources.pods, { fieldSelector: 'spec.nodeName!=' });
    const nodeInformer = factory.forResource(Resources.nodes);
    this.watchNodes(nodeInformer);
    this.watchPods(podInformer);
    let timer: Timer | undefined;
    try {
      await this.registerAll();
      if (signal.aborted) return;
      timer = this.clock.setInterval(() => void this.tick(), this.opts.leaseRenewMs ?? 10_000);
      if (own) factory.start(signal);
      await Promise.all([podInformer.waitForSync(signal), nodeInformer.waitForSync(signal)]);
      this.readyResolve();
      this.log.info('simulated nodes ready', { nodes: this.nodes.size });
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      timer?.cancel();
      this.schedule.close();
    }
  }

  // ---- nodes and leases ----

  private async registerAll(): Promise<void> {
    await forEachBounded([...this.nodes.values()], this.concurrency, (n) => this.register(n));
  }

  private async register(n: SimNode): Promise<void> {
    const now = this.clock.now();
    n.readySince = now;
    try {
      const created = await this.client.create(Resources.nodes, undefined, nodeObject(n.spec, now));
      n.uid = created.metadata.uid;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // A simulator restarted: take the node over and report it healthy again.
      const status = (nodeObject(n.spec, now).status ?? {}) as Record<string, unknown>;
      const patched = await this.client.patch(Resources.nodes, undefined, n.spec.name, 'merge', { status }, { subresource: 'status' });
      n.uid = patched.metadata.uid;
    }
    // Registration creates the lease first: a fresh node costs two writes, not three.
    try {
      await this.client.create(Resources.leases, NODE_LEASE_NAMESPACE, leaseObject(n.spec.name, n.uid, now));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await this.renewLease(n, now);
    }
  }

  private async renewLease(n: SimNode, now: number): Promise<void> {
    try {
      await this.client.patch(Resources.leases, NODE_LEASE_NAMESPACE, n.spec.name, 'merge', { spec: { holderIdentity: n.spec.name, renewTime: rfc3339Micro(now) } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.client.create(Resources.leases, NODE_LEASE_NAMESPACE, leaseObject(n.spec.name, n.uid, now));
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
  }

  private async reportStatus(n: SimNode, now: number): Promise<void> {
    try {
      await this.client.patch(Resources.nodes, undefined, n.spec.name, 'merge', { status: { conditions: nodeConditions(now, n.readySince) } }, { subresource: 'status' });
    } catch (err) {
      // Deleted behind our back (kubectl delete node): register again like a restarted kubelet.
      if (isNotFound(err)) await this.register(n);
      else throw err;
    }
  }

  /** One timer for every node: renew all leases; report the status of one slice of the nodes. */
  private async tick(): Promise<void> {
    if (this.ticking) return; // the previous round is still writing; skip rather than pile up
    this.ticking = true;
    const every = this.opts.nodeStatusEveryTicks ?? 6;
    const slice = this.ticks++ % every;
    const now = this.clock.now();
    try {
      await forEachBounded([...this.nodes.values()], this.concurrency, async (n) => {
        try {
          await this.renewLease(n, now);
          if (n.index % every === slice) await this.reportStatus(n, now);
        } catch (err) {
          this.log.warn('node heartbeat failed', { node: n.spec.name, error: err });
        }
      });
    } finally {
      this.ticking = false;
    }
  }

  private watchNodes(inf: Informer): void {
    const onNode = (node: KubeObject) => {
      const n = this.nodes.get(node.metadata.name ?? '');
      const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
      if (!n || !cidr) return;
      try {
        n.ips.setCIDR(cidr);
      } catch (err) {
        this.log.warn('ignoring podCIDR', { node: n.spec.name, podCIDR: cidr, error: err });
      }
    };
    inf.addEventHandler({ onAdd: onNode, onUpdate: (_o, n) => onNode(n) });
  }

  // ---- pods ----

  private watchPods(inf: Informer): void {
    inf.addEventHandler({
      onAdd: (p) => this.observe(p),
      onUpdate: (_o, p) => this.observe(p),
      onDelete: (p) => this.forget(keyOf(p)),
    });
  }

  private observe(pod: KubeObject): void {
    const key = keyOf(pod);
    const node = this.nodes.get((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
    let st = this.pods.get(key);
    if (st && (st.uid !== pod.metadata.uid || !node)) {
      this.forget(key);
      st = undefined;
    }
    if (!node) return;
    if (!st) {
      st = this.adopt(key, pod, node);
      if (!st) return;
    }
    st.pod = pod;
    if (pod.metadata.deletionTimestamp) {
      this.beginDeletion(st);
      return;
    }
    // Conditions written by others (readiness gates) feed into Ready.
    const passThrough = foreignConditions(pod);
    if (passThrough !== st.passThrough) {
      st.passThrough = passThrough;
      if (st.run && st.version > 0) this.markDirty(st);
    }
  }

  private adopt(key: string, pod: KubeObject, node: SimNode): PodState | undefined {
    const status = (pod.status ?? {}) as { phase?: string; podIP?: string };
    const finished = status.phase === 'Succeeded' || status.phase === 'Failed';
    let ip = status.podIP ?? '';
    if (ip) node.ips.claim(ip);
    else if (!finished) {
      const got = node.ips.allocate();
      if (!got) {
        this.log.warn('no pod IP left on simulated node', { node: node.spec.name, pod: key });
        return undefined;
      }
      ip = got;
    }
    const now = this.clock.now();
    const st: PodState = {
      key,
      uid: pod.metadata.uid ?? '',
      node,
      pod,
      ip,
      times: new Map(),
      version: 0,
      written: 0,
      writing: false,
      deleting: false,
      passThrough: foreignConditions(pod),
    };
    this.pods.set(key, st);
    if (!finished) {
      st.run = newPodRun(pod, now);
      const startTime = parseTime((pod.status as { startTime?: string } | undefined)?.startTime);
      if (startTime !== undefined) st.run.startTime = startTime;
      if (!pod.metadata.deletionTimestamp) this.advance(st);
    }
    return st;
  }

  private advance(st: PodState): void {
    if (!st.run || st.deleting) return;
    const { nextAt, changed } = step(st.run, this.clock.now());
    this.schedule.set(st.key, nextAt);
    if (changed || st.version === 0) this.markDirty(st);
  }

  private onDue(key: string): void {
    const st = this.pods.get(key);
    if (!st) return;
    if (st.deleting) void this.deletePod(st);
    else if (st.written < st.version && !st.writing) {
      // A failed write asked to be retried.
      this.enqueueWrite(st);
      this.advance(st);
    } else this.advance(st);
  }

  private forget(key: string): void {
    const st = this.pods.get(key);
    if (!st) return;
    this.pods.delete(key);
    this.schedule.set(key, undefined);
    if (st.ip) st.node.ips.release(st.ip);
  }

  private beginDeletion(st: PodState): void {
    if (st.deleting) return;
    st.deleting = true;
    const now = this.clock.now();
    const deadline = parseTime(st.pod.metadata.deletionTimestamp) ?? now;
    const at = Math.min(now + (st.run?.behaviour.terminationDelayMs ?? 0), deadline);
    st.deleteAt = at;
    if (at <= now) void this.deletePod(st);
    else this.schedule.set(st.key, at);
  }

  private async deletePod(st: PodState): Promise<void> {
    const { namespace, name } = st.pod.metadata;
    try {
      await this.client.delete(Resources.pods, namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid: st.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      if (this.pods.get(st.key) !== st) return;
      this.log.warn('deleting pod failed; retrying', { pod: st.key, error: err });
      this.schedule.set(st.key, this.clock.now() + 1000);
    }
  }

  // ---- coalesced status writes ----

  private markDirty(st: PodState): void {
    st.version++;
    this.enqueueWrite(st);
  }

  private enqueueWrite(st: PodState): void {
    if (st.writing) return; // written again when the write in flight completes
    this.writeQueue.push(st.key);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.writeQueue.length) {
      const key = this.writeQueue.shift()!;
      const st = this.pods.get(key);
      if (!st || st.writing || st.deleting || st.written >= st.version || !st.run) continue;
      this.inFlight++;
      st.writing = true;
      void this.writeStatus(st).then((ok) => {
        this.inFlight--;
        st.writing = false;
        if (ok && this.pods.get(key) === st && st.written < st.version && !st.deleting) this.writeQueue.push(key);
        this.pump();
      });
    }
  }

  /** False when the write failed and a retry is scheduled. */
  private async writeStatus(st: PodState): Promise<boolean> {
    const version = st.version;
    const status = renderPodStatus(st.run!, st.pod, st.node.spec.internalIP, st.ip, this.clock.now(), st.times);
    try {
      const updated = await this.client.patch(Resources.pods, st.pod.metadata.namespace, st.pod.metadata.name!, 'merge', { metadata: { uid: st.uid }, status }, { subresource: 'status' });
      if (this.pods.get(st.key) === st && updated.metadata.uid === st.uid) st.pod = updated;
      st.written = Math.max(st.written, version);
      return true;
    } catch (err) {
      if (this.pods.get(st.key) !== st) return false;
      if (isNotFound(err)) {
        this.forget(st.key);
        return false;
      }
      this.log.warn('writing pod status failed; retrying', { pod: st.key, error: err });
      // Retried from the schedule so a failing API costs no extra timers.
      this.schedule.set(st.key, this.clock.now() + 1000);
      return false;
    }
  }
}

