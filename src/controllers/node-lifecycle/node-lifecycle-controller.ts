/**
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle) with its NoExecute
 * taint manager. A node whose kubelet stops renewing its Lease (and stops posting status) for
 * longer than the grace period gets its conditions set to Unknown, the unreachable taints, and
 * its pods marked not ready; a NotReady node gets the not-ready taints. Pods on a node with a
 * NoExecute taint they do not tolerate are deleted, after their tolerationSeconds if any.
 *
 * Heartbeats are judged by when this controller observed them change (its own clock), not by
 * the timestamps written in them, so clock skew between machines cannot fake a heartbeat.
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { podCondition } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { sameTaint, TAINT_NOT_READY, TAINT_UNREACHABLE, tolerates, type Taint, type Toleration } from './taints.js';

const LEASE_NAMESPACE = 'kube-node-lease';
const NODE_NAME_INDEX = 'spec.nodeName';
const WATCHED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
/** Taints this controller owns: it adds and removes them from the node's conditions. */
const CONDITION_TAINTS: Record<string, { key: string; status: string }> = {
  MemoryPressure: { key: 'node.kubernetes.io/memory-pressure', status: 'True' },
  DiskPressure: { key: 'node.kubernetes.io/disk-pressure', status: 'True' },
  PIDPressure: { key: 'node.kubernetes.io/pid-pressure', status: 'True' },
  NetworkUnavailable: { key: 'node.kubernetes.io/network-unavailable', status: 'True' },
};
const OWNED_KEYS = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY, 'node.kubernetes.io/unschedulable', ...Object.values(CONDITION_TAINTS).map((t) => t.key)]);

interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

interface Health {
  probeAt: number;
  renewTime?: string;
  readyHeartbeat?: string;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle-controller';
  readonly nodes: Informer;
  readonly leases: Informer;
  readonly pods: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly graceMs: number;
  private readonly health = new Map<string, Health>();

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.log = ctx.log;
    this.recorder = ctx.recorder('node-controller');
    this.graceMs = ctx.config.nodeMonitorGracePeriodMs || 40_000;
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.nodes = ctx.informers.forResource(Resources.nodes);
    this.leases = ctx.informers.forResource(Resources.leases, { namespace: LEASE_NAMESPACE });
    this.pods = ctx.informers.forResource(Resources.pods);
    this.pods.addIndexer(NODE_NAME_INDEX, (p) => {
      const n = ((p.spec ?? {}) as { nodeName?: string }).nodeName;
      return n ? [n] : [];
    });
    const enqueue = (o: KubeObject) => this.queue.add(o.metadata.name!);
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: (n) => this.health.delete(n.metadata.name!) });
    this.leases.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) });
    const podChanged = (p: KubeObject) => {
      const n = ((p.spec ?? {}) as { nodeName?: string }).nodeName;
      if (n && !p.metadata.deletionTimestamp) this.queue.add(n);
    };
    this.pods.addEventHandler({ onAdd: podChanged, onUpdate: (_o, n) => podChanged(n) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.nodes, this.leases, this.pods], queue: this.queue, workers: 2, log: this.log, sync: (k) => this.sync(k) });
  }

  /** When the controller last saw this node's kubelet alive. */
  private observe(node: KubeObject): number {
    const name = node.metadata.name!;
    const now = this.clock.now();
    const renewTime = (this.leases.store.getByName(LEASE_NAMESPACE, name)?.spec as { renewTime?: string } | undefined)?.renewTime;
    const readyHeartbeat = conditions(node).find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const h = this.health.get(name);
    if (!h) {
      this.health.set(name, { probeAt: now, renewTime, readyHeartbeat });
      return now;
    }
    if (renewTime !== h.renewTime || readyHeartbeat !== h.readyHeartbeat) {
      h.probeAt = now;
      h.renewTime = renewTime;
      h.readyHeartbeat = readyHeartbeat;
    }
    return h.probeAt;
  }

  async sync(name: string): Promise<void> {
    let node = this.nodes.store.get(name);
    if (!node) {
      this.health.delete(name);
      return;
    }
    const now = this.clock.now();
    const probeAt = this.observe(node);
    const expired = now - probeAt > this.graceMs;

    if (expired) node = await this.markUnknown(node, now);
    else this.queue.addAfter(name, probeAt + this.graceMs - now + 1);

    const ready = conditions(node).find((c) => c.type === 'Ready');
    node = await this.reconcileTaints(node, ready?.status, now);
    if (ready?.status === 'Unknown') await this.markPodsNotReady(name, now);
    await this.evictIntolerantPods(node, now);
  }

  private async markUnknown(node: KubeObject, now: number): Promise<KubeObject> {
    const conds = conditions(node).map((c) => ({ ...c }));
    let changed = false;
    for (const type of WATCHED_CONDITIONS) {
      const c = conds.find((x) => x.type === type);
      if (!c) {
        conds.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: rfc3339(now) });
        changed = true;
      } else if (c.status !== 'Unknown') {
        Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) });
        changed = true;
      }
    }
    if (!changed) return node;
    this.log.info('node stopped posting status', { node: node.metadata.name });
    const status = { ...((node.status ?? {}) as Record<string, unknown>), conditions: conds };
    if (conds.find((c) => c.type === 'Ready')?.status !== 'True') this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    return this.client.updateStatus(Resources.nodes, { ...node, status });
  }

  private desiredTaints(node: KubeObject, readyStatus: string | undefined, now: number): Taint[] {
    const spec = (node.spec ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
    const current = spec.taints ?? [];
    const want: Taint[] = [];
    const keep = (t: Taint) => want.push(current.find((c) => sameTaint(c, t)) ?? t);
    const stamp = rfc3339(now);
    if (readyStatus === 'Unknown') {
      keep({ key: TAINT_UNREACHABLE, effect: 'NoSchedule' });
      keep({ key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: stamp });
    } else if (readyStatus === 'False') {
      keep({ key: TAINT_NOT_READY, effect: 'NoSchedule' });
      keep({ key: TAINT_NOT_READY, effect: 'NoExecute', timeAdded: stamp });
    }
    for (const c of conditions(node)) {
      const t = CONDITION_TAINTS[c.type];
      if (t && c.status === t.status) keep({ key: t.key, effect: 'NoSchedule' });
    }
    if (spec.unschedulable) keep({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    return [...current.filter((t) => !OWNED_KEYS.has(t.key)), ...want];
  }

  private async reconcileTaints(node: KubeObject, readyStatus: string | undefined, now: number): Promise<KubeObject> {
    const current = ((node.spec ?? {}) as { taints?: Taint[] }).taints ?? [];
    const taints = this.desiredTaints(node, readyStatus, now);
    if (deepEqual(current, taints)) return node;
    const spec = { ...((node.spec ?? {}) as Record<string, unknown>), taints: taints.length ? taints : undefined };
    return this.client.update(Resources.nodes, { ...node, spec });
  }

  /** Upstream MarkPodsNotReady: the kubelet cannot say so itself any more. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, nodeName)) {
      const ready = podCondition(pod, 'Ready');
      if (!ready || ready.status === 'False') continue;
      const conds = (((pod.status ?? {}) as { conditions?: NodeCondition[] }).conditions ?? []).map((c) =>
        c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c,
      );
      try {
        await this.client.updateStatus(Resources.pods, { ...pod, status: { ...(pod.status as object), conditions: conds } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** The NoExecute taint manager for one node's pods. */
  private async evictIntolerantPods(node: KubeObject, now: number): Promise<void> {
    const taints = (((node.spec ?? {}) as { taints?: Taint[] }).taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return;
    let nextCheck = Infinity;
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, node.metadata.name!)) {
      if (pod.metadata.deletionTimestamp) continue;
      const evictAt = evictionTime(pod, taints, now);
      if (evictAt === undefined) continue;
      if (evictAt > now) {
        nextCheck = Math.min(nextCheck, evictAt);
        continue;
      }
      this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${keyOf(pod)}`);
      await this.addDisruptionTarget(pod, now);
      try {
        await this.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (nextCheck !== Infinity) this.queue.addAfter(node.metadata.name!, nextCheck - now);
  }

  private async addDisruptionTarget(pod: KubeObject, now: number): Promise<void> {
    const conds = (((pod.status ?? {}) as { conditions?: NodeCondition[] }).conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conds.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(now) });
    try {
      await this.client.updateStatus(Resources.pods, { ...pod, status: { ...(pod.status as object), conditions: conds } });
    } catch (err) {
      this.log.debug('could not add DisruptionTarget condition', { pod: keyOf(pod), error: err });
    }
  }
}

function conditions(node: KubeObject): NodeCondition[] {
  return ((node.status ?? {}) as { conditions?: NodeCondition[] }).conditions ?? [];
}

/**
 * When the pod must go (upstream taint manager): `now` if some NoExecute taint is not tolerated;
 * otherwise the smallest tolerationSeconds among the tolerations used, counted from the
 * earliest timeAdded; undefined when none of them is bounded (tolerated forever).
 */
export function evictionTime(pod: KubeObject, taints: Taint[], now: number): number | undefined {
  const tolerations = ((pod.spec ?? {}) as { tolerations?: Toleration[] }).tolerations ?? [];
  let seconds: number | undefined;
  let since = now;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return now;
    since = Math.min(since, parseTime(taint.timeAdded) ?? now);
    for (const t of matching) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      seconds = Math.min(seconds ?? Infinity, Math.max(0, t.tolerationSeconds));
    }
  }
  return seconds === undefined ? undefined : since + seconds * 1000;
}
