/**
 * The scheduler (upstream pkg/scheduler): pending pods come off the queue one at a time; a
 * synchronous scheduling cycle filters and scores nodes from the cache, assumes the pod on the
 * chosen node, and an asynchronous binding cycle posts the Binding while the next pod is
 * already being scheduled. Failures become a FailedScheduling event, a PodScheduled=False
 * condition and a requeue.
 */
import { setImmediate as yieldToIO } from 'node:timers/promises';
import type { KubeObject } from '../api/object.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { keyOf, type Informer, type InformerFactory } from '../client/informer.js';
import { Resources } from '../client/resources.js';
import { rfc3339 } from '../client/time-format.js';
import { Cache } from './cache/cache.js';
import { DEFAULT_SCHEDULER_NAME, type Node, type Pod } from './framework/api-types.js';
import { CycleState } from './framework/cycle-state.js';
import { FitError, type Diagnosis } from './framework/fit-error.js';
import { Framework, type WeightedPlugin } from './framework/framework.js';
import { NodeToStatus, type EventResource, type Handle } from './framework/interface.js';
import type { NodeInfo } from './framework/node-info.js';
import { PodInfo } from './framework/pod-info.js';
import { Status } from './framework/status.js';
import { numFeasibleNodesToFind } from './num-feasible-nodes.js';
import { defaultPlugins } from './plugins/registry.js';
import { resolvePriority } from './priority.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue/scheduling-queue.js';

export interface SchedulerOptions {
  client: ApiClient;
  informers: InformerFactory;
  clock: Clock;
  log: Logger;
  /** Records with source.component `default-scheduler`. */
  recorder: EventRecorder;
  /** 0 = adaptive (upstream default). */
  percentageOfNodesToScore?: number;
  schedulerName?: string;
  /** Replaces the default profile (tests). */
  plugins?: (handle: Handle) => WeightedPlugin[];
}

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Scheduling cycles run back to back before informer events and I/O get a turn. */
const PODS_PER_TURN = 32;

function isAssigned(pod: Pod): boolean {
  return !!pod.spec?.nodeName;
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class Scheduler {
  readonly name = 'scheduler';
  readonly cache = new Cache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly priorityClasses: Informer<KubeObject>;
  private readonly all: Informer<KubeObject>[];
  private readonly schedulerName: string;
  private nextStartNodeIndex = 0;
  private readonly pendingBindings = new Set<Promise<void>>();

  constructor(private readonly opts: SchedulerOptions) {
    const { informers } = opts;
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.pods = informers.forResource<Pod>(Resources.pods);
    this.nodes = informers.forResource<Node>(Resources.nodes);
    this.priorityClasses = informers.forResource(Resources.priorityclasses);
    const pvcs = informers.forResource(Resources.persistentvolumeclaims);
    const pvs = informers.forResource(Resources.persistentvolumes);
    const storageClasses = informers.forResource(Resources.storageclasses);
    const pdbs = informers.forResource(Resources.poddisruptionbudgets);
    const namespaces = informers.forResource(Resources.namespaces);
    this.all = [this.pods as unknown as Informer<KubeObject>, this.nodes as unknown as Informer<KubeObject>, this.priorityClasses, pvcs, pvs, storageClasses, pdbs, namespaces];

    const handle: Handle = {
      client: opts.client,
      clock: opts.clock,
      log: opts.log,
      recorder: opts.recorder,
      snapshot: this.cache,
      listers: {
        pvcs: pvcs.store,
        pvs: pvs.store,
        storageClasses: storageClasses.store,
        pdbs: pdbs.store,
        namespaceLabels: (ns) => namespaces.store.getByName(undefined, ns)?.metadata.labels,
      },
      nominator: { nominatedPodsForNode: (n) => this.queue.nominatedPodsForNode(n) },
      framework: undefined as unknown as Framework,
    };
    this.framework = new Framework((opts.plugins ?? defaultPlugins)(handle), handle.nominator);
    handle.framework = this.framework;
    this.queue = new SchedulingQueue({ clock: opts.clock, events: this.framework.events });

    this.pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (o, n) => this.onPodUpdate(o, n),
      onDelete: (p) => this.onPodDelete(p),
    });
    this.nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.addNode(n);
        this.move('Node', 'Add');
      },
      onUpdate: (o, n) => {
        this.cache.updateNode(n);
        if (nodeSchedulingPropertiesChanged(o, n)) this.move('Node', 'Update');
      },
      onDelete: (n) => this.cache.removeNode(n.metadata.name!),
    });
    const moveOn = (inf: Informer<KubeObject>, resource: EventResource) =>
      inf.addEventHandler({ onAdd: () => this.move(resource, 'Add'), onUpdate: (o, n) => o !== n && this.move(resource, 'Update') });
    moveOn(pvcs, 'PersistentVolumeClaim');
    moveOn(pvs, 'PersistentVolume');
    moveOn(storageClasses, 'StorageClass');
    moveOn(namespaces, 'Namespace');
  }

  private move(resource: EventResource, action: 'Add' | 'Update' | 'Delete'): void {
    this.queue.moveAllToActiveOrBackoffQueue({ resource, action });
  }

  private responsibleFor(pod: Pod): boolean {
    return (pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === this.schedulerName;
  }

  private podInfo(pod: Pod): PodInfo {
    return new PodInfo(pod, resolvePriority(pod, this.priorityClasses.store));
  }

  private onPodAdd(pod: Pod): void {
    if (isAssigned(pod)) {
      if (isTerminal(pod)) return;
      this.queue.deleteNomination(keyOf(pod));
      this.cache.addPod(this.podInfo(pod));
      this.move('Pod', 'Add');
      return;
    }
    if (this.responsibleFor(pod) && !isTerminal(pod)) this.queue.add(this.podInfo(pod));
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    const key = keyOf(pod);
    if (isAssigned(pod)) {
      if (!isAssigned(old)) this.queue.delete(key);
      if (isTerminal(pod)) {
        this.cache.removePod(key);
        this.move('Pod', 'Delete');
        return;
      }
      this.cache.updatePod(this.podInfo(pod));
      if (!isAssigned(old) || !sameLabels(old, pod)) this.move('Pod', isAssigned(old) ? 'Update' : 'Add');
      return;
    }
    if (!this.responsibleFor(pod) || isTerminal(pod)) return this.queue.delete(key);
    // Our own status writes come back as updates; an assumed pod is on its way to binding.
    if (this.cache.isAssumed(key)) return;
    this.queue.update(this.podInfo(pod), podSpecOrLabelsChanged(old, pod));
  }

  private onPodDelete(pod: Pod): void {
    const key = keyOf(pod);
    if (isAssigned(pod) || this.cache.isAssumed(key)) {
      this.cache.removePod(key);
      this.move('Pod', 'Delete');
    }
    this.queue.delete(key);
  }

  /** Runs until the signal aborts; waits for the informers first. */
  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.opts.informers.start(signal);
    try {
      await Promise.all(this.all.map((i) => i.waitForSync(signal)));
    } catch {
      return;
    }
    signal.addEventListener('abort', () => this.queue.close(), { once: true });
    let sinceYield = 0;
    while (!signal.aborted) {
      const q = await this.queue.pop();
      if (!q) break;
      await this.scheduleOne(q);
      // Let informer events and binding responses in between pods, but not after every pod:
      // on a busy server one event-loop turn takes milliseconds, which would cap scheduling
      // at a few hundred pods per second however cheap a cycle is. Assumed pods keep the
      // cache right meanwhile.
      if (++sinceYield >= PODS_PER_TURN) {
        sinceYield = 0;
        await yieldToIO();
      }
    }
    await Promise.allSettled([...this.pendingBindings]);
  }

  /** One scheduling cycle for a popped pod (exported for tests via run). */
  async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const key = q.info.key;
    const live = this.pods.store.get(key);
    if (!live || isAssigned(live) || live.metadata.deletionTimestamp || this.cache.isAssumed(key)) {
      this.queue.done(key);
      return;
    }
    q.info = this.podInfo(live);
    const cycle = this.queue.cycle;
    const state = new CycleState();
    let node: string;
    try {
      node = this.schedulePod(state, q.info);
    } catch (err) {
      if (err instanceof FitError) {
        const post = await this.framework.runPostFilterPlugins(state, q.info, err.diagnosis.nodeToStatus);
        if (!post.status.isSuccess()) err.diagnosis.postFilterMsg = post.status.message();
        q.unschedulablePlugins = err.diagnosis.unschedulablePlugins;
        await this.handleFailure(q, 'Unschedulable', err.describe(), cycle, post.nominatedNodeName);
      } else if (err instanceof NoNodesError) {
        q.unschedulablePlugins = new Set(['NodeName']);
        await this.handleFailure(q, 'Unschedulable', ERR_NO_NODES_AVAILABLE, cycle);
      } else {
        q.unschedulablePlugins = new Set();
        await this.handleFailure(q, 'SchedulerError', (err as Error).message, cycle);
      }
      return;
    }
    this.cache.assumePod(q.info, node);
    const reserved = this.framework.runReservePlugins(state, q.info, node);
    if (!reserved.isSuccess()) {
      this.cache.forgetPod(key);
      q.unschedulablePlugins = new Set();
      await this.handleFailure(q, 'SchedulerError', reserved.message(), cycle);
      return;
    }
    this.queue.deleteNomination(key);
    this.queue.done(key);
    const p = this.bindingCycle(state, q, node, cycle).finally(() => this.pendingBindings.delete(p));
    this.pendingBindings.add(p);
  }

  /** Picks a node or throws FitError / NoNodesError. Synchronous: the cache cannot change meanwhile. */
  schedulePod(state: CycleState, pod: PodInfo): string {
    const all = this.cache.list();
    if (all.length === 0) throw new NoNodesError();
    const { feasible, diagnosis } = this.findNodesThatFitPod(state, pod, all);
    if (feasible.length === 0) throw new FitError(all.length, diagnosis);
    if (feasible.length === 1) return feasible[0]!.name;
    const totals = this.framework.runScorePlugins(state, pod, feasible);
    return selectHost(feasible, totals);
  }

  private findNodesThatFitPod(state: CycleState, pod: PodInfo, all: readonly NodeInfo[]): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const diagnosis: Diagnosis = { nodeToStatus: new NodeToStatus(), unschedulablePlugins: new Set() };
    const pre = this.framework.runPreFilterPlugins(state, pod, all);
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw pre.status.error ?? new Error(pre.status.message());
      diagnosis.nodeToStatus.absent = pre.status;
      diagnosis.preFilterMsg = pre.status.message();
      diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], diagnosis };
    }
    // A pod nominated after preemption tries its node first.
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const n = this.cache.get(nominated);
      if (n && this.framework.runFilterPluginsWithNominatedPods(state, pod, n).isSuccess()) return { feasible: [n], diagnosis };
    }
    let candidates = all;
    if (pre.result?.nodeNames) {
      candidates = [];
      for (const name of pre.result.nodeNames) {
        const n = this.cache.get(name);
        if (n) (candidates as NodeInfo[]).push(n);
      }
      // Nodes left out by PreFilter count as rejected by it.
      if (candidates.length === 0) {
        diagnosis.nodeToStatus.absent = Status.unresolvable("node(s) didn't match Pod's node affinity/selector").withPlugin('NodeAffinity');
        diagnosis.preFilterMsg = "node(s) didn't match Pod's node affinity/selector";
        diagnosis.unschedulablePlugins.add('NodeAffinity');
        return { feasible: [], diagnosis };
      }
    }
    const feasible = this.findNodesThatPassFilters(state, pod, candidates, all.length, diagnosis);
    return { feasible, diagnosis };
  }

  private findNodesThatPassFilters(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], numAll: number, diagnosis: Diagnosis): NodeInfo[] {
    const n = nodes.length;
    const want = numFeasibleNodesToFind(n, this.opts.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex % n;
    let processed = 0;
    for (let i = 0; i < n && feasible.length < want; i++) {
      const node = nodes[(start + i) % n]!;
      processed++;
      const s = this.framework.runFilterPluginsWithNominatedPods(state, pod, node);
      if (s.isSuccess()) feasible.push(node);
      else if (s.isRejected()) {
        diagnosis.nodeToStatus.statuses.set(node.name, s);
        diagnosis.unschedulablePlugins.add(s.plugin);
      } else throw s.error ?? new Error(s.message());
    }
    this.nextStartNodeIndex = (start + processed) % numAll;
    return feasible;
  }

  private async bindingCycle(state: CycleState, q: QueuedPodInfo, node: string, cycle: number): Promise<void> {
    let s: Status;
    try {
      s = await this.framework.runPreBindPlugins(state, q.info, node);
      if (s.isSuccess()) s = await this.framework.runBindPlugins(state, q.info, node);
    } catch (err) {
      s = Status.error(err);
    }
    const m = q.info.pod.metadata;
    if (s.isSuccess()) {
      this.opts.recorder.event(asPod(q.info.pod), 'Normal', 'Scheduled', `Successfully assigned ${m.namespace}/${m.name} to ${node}`);
      return;
    }
    this.cache.forgetPod(q.info.key);
    this.framework.runUnreservePlugins(state, q.info, node);
    // The room it held is free again.
    this.move('Pod', 'Delete');
    q.unschedulablePlugins = new Set();
    this.queue.done(q.info.key);
    await this.handleFailure(q, 'SchedulerError', s.message(), cycle);
  }

  /**
   * Requeues the pod and tells the user why: a FailedScheduling event and the PodScheduled
   * condition (with nominatedNodeName after preemption), written only when they change.
   */
  private async handleFailure(q: QueuedPodInfo, reason: 'Unschedulable' | 'SchedulerError', message: string, cycle: number, nominatedNodeName?: string): Promise<void> {
    const key = q.info.key;
    const live = this.pods.store.get(key);
    if (!live || isAssigned(live)) {
      this.queue.done(key);
      return;
    }
    this.queue.addUnschedulableIfNotPresent(q, cycle);
    if (nominatedNodeName) this.queue.nominate(q.info, nominatedNodeName);
    this.opts.log.debug('unable to schedule pod', { pod: key, reason: message });
    this.opts.recorder.event(asPod(live), 'Warning', 'FailedScheduling', message);
    const old = live.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const conditionChanged = !old || old.status !== 'False' || old.reason !== reason || old.message !== message;
    const nominationChanged = !!nominatedNodeName && live.status?.nominatedNodeName !== nominatedNodeName;
    if (!conditionChanged && !nominationChanged) return;
    const status: Record<string, unknown> = {
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason,
          message,
          lastProbeTime: null,
          lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.opts.clock.now()),
        },
      ],
    };
    if (nominatedNodeName) status.nominatedNodeName = nominatedNodeName;
    try {
      await this.opts.client.patch(Resources.pods, live.metadata.namespace, live.metadata.name!, 'strategic', { status }, { subresource: 'status' });
    } catch (err) {
      this.opts.log.debug('pod status not updated', { pod: key, error: err });
    }
  }
}

class NoNodesError extends Error {
  constructor() {
    super(ERR_NO_NODES_AVAILABLE);
  }
}

/** Highest total wins; ties are broken at random (reservoir sampling), as upstream does. */
export function selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (totals[i]! > totals[best]!) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.random() * ties < 1) best = i;
    }
  }
  return nodes[best]!.name;
}

function asPod(pod: Pod): KubeObject {
  return pod.kind ? pod : { ...pod, kind: 'Pod', apiVersion: 'v1' };
}

function sameLabels(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {});
}

function podSpecOrLabelsChanged(a: Pod, b: Pod): boolean {
  return !sameLabels(a, b) || JSON.stringify(a.spec) !== JSON.stringify(b.spec) || JSON.stringify(a.metadata.annotations ?? {}) !== JSON.stringify(b.metadata.annotations ?? {});
}

/** Heartbeats change only conditions' times; those don't help any pending pod. */
function nodeSchedulingPropertiesChanged(a: Node, b: Node): boolean {
  const facts = (n: Node) =>
    JSON.stringify([n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable, n.status?.conditions?.map((c) => [c.type, c.status])]);
  return facts(a) !== facts(b);
}
