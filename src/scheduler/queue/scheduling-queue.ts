/**
 * The scheduling queue (upstream internal/queue PriorityQueue): activeQ (highest priority, then
 * oldest, first), backoffQ (pods waiting out a per-pod exponential backoff, 1 s doubling to
 * 10 s) and unschedulablePods (parked until a cluster event that could help one of the plugins
 * that rejected them, or for at most 5 minutes). Also tracks nominated pods per node.
 */
import type { Clock, Timer } from '../../base/clock.js';
import type { ActionType, ClusterEvent, EventResource, PodNominator } from '../framework/interface.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Heap } from './heap.js';

export interface QueuedPodInfo {
  info: PodInfo;
  /** When the pod last entered the queue; orders pods of equal priority. */
  timestamp: number;
  initialAttemptTimestamp?: number;
  attempts: number;
  /** Plugins that rejected the pod in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
}

export interface QueueEvent {
  resource: EventResource;
  action: ActionType;
}

export interface SchedulingQueueOptions {
  clock: Clock;
  /** Plugin → events worth retrying its rejections for. */
  events: Map<string, ClusterEvent[]>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxInUnschedulableMs?: number;
}

const UNSCHEDULABLE_FLUSH_MS = 30_000;
const NO_PODS: readonly PodInfo[] = Object.freeze([]);

export class SchedulingQueue implements PodNominator {
  private readonly activeQ = new Heap<QueuedPodInfo>(
    (q) => q.info.key,
    (a, b) => (a.info.priority !== b.info.priority ? a.info.priority > b.info.priority : a.timestamp < b.timestamp),
  );
  private readonly backoffQ = new Heap<QueuedPodInfo>(
    (q) => q.info.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedNodeOf = new Map<string, string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiters: { resolve: (q: QueuedPodInfo | undefined) => void }[] = [];
  private backoffTimer: Timer | undefined;
  private backoffTimerAt = Infinity;
  private unschedulableTimer: Timer | undefined;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? 5 * 60_000;
  }

  get cycle(): number {
    return this.schedulingCycle;
  }

  /** Sizes of the three queues (tests, metrics). */
  lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key);
  }

  /** A new pending pod. */
  add(info: PodInfo): void {
    const key = info.key;
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    const prev = this.activeQ.get(key);
    this.activeQ.addOrUpdate(prev ? { ...prev, info } : { info, timestamp: this.opts.clock.now(), attempts: 0, unschedulablePlugins: new Set() });
    this.updateNomination(info);
    this.wake();
  }

  /** A pending pod changed; a spec/label change gives an unschedulable pod another try. */
  update(info: PodInfo, specChanged: boolean): void {
    const key = info.key;
    this.updateNomination(info);
    const active = this.activeQ.get(key);
    if (active) return this.activeQ.addOrUpdate({ ...active, info });
    const backoff = this.backoffQ.get(key);
    if (backoff) return this.backoffQ.addOrUpdate({ ...backoff, info });
    const parked = this.unschedulable.get(key);
    if (parked) {
      const q = { ...parked, info };
      if (!specChanged) return void this.unschedulable.set(key, q);
      this.unschedulable.delete(key);
      this.requeue(q);
      return;
    }
    // Not queued: it is being scheduled right now, or it is new to us.
    if (!this.inFlight.has(key)) this.add(info);
  }

  delete(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.deleteNomination(key);
  }

  private readonly inFlight = new Set<string>();

  /** Waits for the next pod to schedule; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const q = this.activeQ.pop();
    if (q) return Promise.resolve(this.started(q));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push({ resolve }));
  }

  private started(q: QueuedPodInfo): QueuedPodInfo {
    this.schedulingCycle++;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.opts.clock.now();
    this.inFlight.add(q.info.key);
    return q;
  }

  /** The scheduling attempt ended (success or failure was handled). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  private wake(): void {
    while (this.waiters.length && this.activeQ.size) {
      const w = this.waiters.shift()!;
      w.resolve(this.started(this.activeQ.pop()!));
    }
  }

  /**
   * After a failed attempt: park the pod, unless a cluster event arrived while it was being
   * scheduled (then it retries after its backoff) or it failed with an error.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = q.info.key;
    this.inFlight.delete(key);
    if (this.has(key)) return;
    q.timestamp = this.opts.clock.now();
    if (this.moveRequestCycle >= podSchedulingCycle || q.unschedulablePlugins.size === 0) {
      this.addToBackoff(q);
      return;
    }
    this.unschedulable.set(key, q);
    this.armUnschedulableFlush();
  }

  /** A cluster event happened: retry parked pods it may help. */
  moveAllToActiveOrBackoffQueue(event: QueueEvent, filter?: (q: QueuedPodInfo) => boolean): void {
    for (const [key, q] of this.unschedulable) {
      if (!this.relevant(q, event) || (filter && !filter(q))) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  private relevant(q: QueuedPodInfo, event: QueueEvent): boolean {
    if (q.unschedulablePlugins.size === 0) return true;
    for (const p of q.unschedulablePlugins) {
      for (const e of this.opts.events.get(p) ?? []) if (e.resource === event.resource && e.actions.includes(event.action)) return true;
    }
    return false;
  }

  private requeue(q: QueuedPodInfo): void {
    if (this.backoffExpiry(q) > this.opts.clock.now()) this.addToBackoff(q);
    else {
      this.activeQ.addOrUpdate(q);
      this.wake();
    }
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  private backoffDuration(q: QueuedPodInfo): number {
    if (q.attempts === 0) return 0;
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(q.attempts - 1, 30));
  }

  private addToBackoff(q: QueuedPodInfo): void {
    this.backoffQ.addOrUpdate(q);
    this.armBackoffFlush();
  }

  /** One timer, due when the earliest backoff ends (no polling while idle). */
  private armBackoffFlush(): void {
    const head = this.backoffQ.peek();
    if (!head || this.closed) return;
    const at = this.backoffExpiry(head);
    if (this.backoffTimer && this.backoffTimerAt <= at) return;
    this.backoffTimer?.cancel();
    this.backoffTimerAt = at;
    this.backoffTimer = this.opts.clock.setTimeout(() => {
      this.backoffTimer = undefined;
      this.backoffTimerAt = Infinity;
      this.flushBackoffQCompleted();
    }, Math.max(0, at - this.opts.clock.now()));
  }

  flushBackoffQCompleted(): void {
    const now = this.opts.clock.now();
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) break;
      this.activeQ.addOrUpdate(this.backoffQ.pop()!);
    }
    this.wake();
    this.armBackoffFlush();
  }

  private armUnschedulableFlush(): void {
    if (this.unschedulableTimer || this.closed) return;
    this.unschedulableTimer = this.opts.clock.setInterval(() => this.flushUnschedulablePodsLeftover(), UNSCHEDULABLE_FLUSH_MS);
  }

  /** Pods parked for longer than the maximum get retried even without an event. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.opts.clock.now();
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp < this.maxInUnschedulableMs) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
    }
    if (this.unschedulable.size === 0) {
      this.unschedulableTimer?.cancel();
      this.unschedulableTimer = undefined;
    }
  }

  // --- nominated pods ---

  nominatedPodsForNode(node: string): readonly PodInfo[] {
    if (this.nominated.size === 0) return NO_PODS;
    const m = this.nominated.get(node);
    return m ? [...m.values()] : NO_PODS;
  }

  /** Records (or clears, with undefined) the node a pod waits for after preemption. */
  nominate(info: PodInfo, node: string | undefined): void {
    this.deleteNomination(info.key);
    if (!node) return;
    let m = this.nominated.get(node);
    if (!m) this.nominated.set(node, (m = new Map()));
    m.set(info.key, info);
    this.nominatedNodeOf.set(info.key, node);
  }

  deleteNomination(key: string): void {
    const node = this.nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(key);
    const m = this.nominated.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.nominated.delete(node);
  }

  private updateNomination(info: PodInfo): void {
    const node = info.pod.status?.nominatedNodeName;
    if (node) this.nominate(info, node);
    else if (this.nominatedNodeOf.has(info.key)) this.deleteNomination(info.key);
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    this.unschedulableTimer?.cancel();
    for (const w of this.waiters.splice(0)) w.resolve(undefined);
  }
}
