/**
 * The disruption controller (upstream pkg/controller/disruption): keeps each
 * PodDisruptionBudget's status — expected, healthy and desired-healthy pod counts and how many
 * voluntary disruptions are allowed now. Pods the eviction API recorded in disruptedPods do
 * not count as healthy until they are gone or the record is two minutes old.
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import { fromLabelSelectorObject, matchesLabels, type LabelSelectorObject } from '../../api/selectors/label-selector.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { getControllerOf } from '../common/controller-ref.js';
import { isPodReady } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';

const DELETION_TIMEOUT_MS = 2 * 60_000;

interface PdbSpec {
  selector?: LabelSelectorObject | null;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** Upstream GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.replace(/%$/, ''));
  const raw = (pct * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

export class DisruptionController implements Controller {
  readonly name = 'disruption-controller';
  readonly pdbs: Informer;
  readonly pods: Informer;
  readonly owners: Record<string, Informer>;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.log = ctx.log;
    this.recorder = ctx.recorder('controllermanager');
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.pdbs = ctx.informers.forResource(Resources.poddisruptionbudgets);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.owners = {
      ReplicaSet: ctx.informers.forResource(Resources.replicasets),
      Deployment: ctx.informers.forResource(Resources.deployments),
      ReplicationController: ctx.informers.forResource(Resources.replicationcontrollers),
      StatefulSet: ctx.informers.forResource(Resources.statefulsets),
    };
    const enqueue = (o: KubeObject) => this.queue.add(keyOf(o));
    this.pdbs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: () => {} });
    const podChanged = (...pods: KubeObject[]) => {
      for (const pod of pods) for (const pdb of this.pdbs.store.listNamespace(pod.metadata.namespace)) if (this.selects(pdb, pod)) enqueue(pdb);
    };
    this.pods.addEventHandler({ onAdd: (p) => podChanged(p), onUpdate: (o, n) => podChanged(o, n), onDelete: (p) => podChanged(p) });
    const scaleChanged = (o: KubeObject) => {
      for (const pdb of this.pdbs.store.listNamespace(o.metadata.namespace)) enqueue(pdb);
    };
    for (const inf of Object.values(this.owners)) inf.addEventHandler({ onAdd: scaleChanged, onUpdate: (_o, n) => scaleChanged(n), onDelete: scaleChanged });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.pdbs, this.pods, ...Object.values(this.owners)], queue: this.queue, workers: 2, log: this.log, sync: (k) => this.sync(k) });
  }

  /** policy/v1: an empty selector selects every pod in the namespace, a missing one none. */
  private selects(pdb: KubeObject, pod: KubeObject): boolean {
    const sel = (pdb.spec as PdbSpec | undefined)?.selector;
    if (!sel) return false;
    return matchesLabels(fromLabelSelectorObject(sel), pod.metadata.labels);
  }

  async sync(key: string): Promise<void> {
    const pdb = this.pdbs.store.get(key);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const pods = this.pods.store.listNamespace(pdb.metadata.namespace).filter((p) => this.selects(pdb, p));
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: { expected: number; desired: number };
    try {
      counts = this.expectedCounts(pdb, pods);
    } catch (err) {
      const message = (err as Error).message;
      this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`);
      await this.writeStatus(pdb, { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0, disruptedPods: undefined }, { status: 'False', reason: 'SyncFailed', message });
      throw err;
    }
    const now = this.clock.now();
    const { disrupted, recheckAt } = this.liveDisruptedPods(pdb, pods, now);
    const currentHealthy = pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p) && !disrupted[p.metadata.name!]).length;
    let allowed = currentHealthy - counts.desired;
    if (counts.expected <= 0 || allowed <= 0) allowed = 0;
    await this.writeStatus(
      pdb,
      { currentHealthy, desiredHealthy: counts.desired, expectedPods: counts.expected, disruptionsAllowed: allowed, disruptedPods: Object.keys(disrupted).length ? disrupted : undefined },
      allowed > 0 ? { status: 'True', reason: 'SufficientPods', message: '' } : { status: 'False', reason: 'InsufficientPods', message: '' },
    );
    if (recheckAt !== undefined) this.queue.addAfter(key, recheckAt - now);
  }

  /** Upstream getExpectedPodCount. */
  private expectedCounts(pdb: KubeObject, pods: KubeObject[]): { expected: number; desired: number } {
    const spec = (pdb.spec ?? {}) as PdbSpec;
    if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      const expected = this.expectedScale(pdb, pods);
      const maxUnavailable = scaledValue(spec.maxUnavailable, expected, true);
      return { expected, desired: Math.max(0, expected - maxUnavailable) };
    }
    if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
      if (typeof spec.minAvailable === 'number') return { expected: pods.length, desired: spec.minAvailable };
      const expected = this.expectedScale(pdb, pods);
      return { expected, desired: scaledValue(spec.minAvailable, expected, true) };
    }
    return { expected: pods.length, desired: 0 };
  }

  /** The sum of the scales of the controllers that own the pods (each controller once). */
  private expectedScale(pdb: KubeObject, pods: KubeObject[]): number {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata.name!);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const found = this.scaleOf(pod.metadata.namespace!, ref.kind, ref.name, ref.uid);
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
      scales.set(found.uid, found.replicas);
    }
    if (unmanaged.length) {
      const sel = (pdb.spec as PdbSpec).selector;
      this.recorder.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(sel)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`);
    }
    let sum = 0;
    for (const v of scales.values()) sum += v;
    return sum;
  }

  /** A pod's controller and its replicas; a ReplicaSet owned by a Deployment answers with the Deployment. */
  private scaleOf(namespace: string, kind: string, name: string, uid: string): { uid: string; replicas: number } | undefined {
    const inf = this.owners[kind];
    const owner = inf?.store.getByName(namespace, name);
    if (!owner || owner.metadata.uid !== uid) return undefined;
    if (kind === 'ReplicaSet') {
      const parent = getControllerOf(owner);
      if (parent?.kind === 'Deployment') {
        const d = this.owners.Deployment.store.getByName(namespace, parent.name);
        if (d && d.metadata.uid === parent.uid) return { uid: d.metadata.uid!, replicas: replicasOf(d) };
      }
    }
    return { uid, replicas: replicasOf(owner) };
  }

  /** Upstream buildDisruptedPodMap: drops records of pods gone, deleting, or past the timeout. */
  private liveDisruptedPods(pdb: KubeObject, pods: KubeObject[], now: number): { disrupted: Record<string, string>; recheckAt?: number } {
    const recorded = ((pdb.status ?? {}) as { disruptedPods?: Record<string, string> }).disruptedPods ?? {};
    const byName = new Map(pods.map((p) => [p.metadata.name!, p]));
    const disrupted: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const [name, when] of Object.entries(recorded)) {
      const pod = byName.get(name);
      if (!pod || pod.metadata.deletionTimestamp) continue;
      const expires = (parseTime(when) ?? 0) + DELETION_TIMEOUT_MS;
      if (expires < now) {
        this.log.info('pod was expected to be deleted but it was not', { pdb: keyOf(pdb), pod: name });
        continue;
      }
      disrupted[name] = when;
      recheckAt = recheckAt === undefined ? expires : Math.min(recheckAt, expires);
    }
    return { disrupted, recheckAt };
  }

  private async writeStatus(
    pdb: KubeObject,
    numbers: { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptionsAllowed: number; disruptedPods?: Record<string, string> },
    cond: { status: string; reason: string; message: string },
  ): Promise<void> {
    const old = (pdb.status ?? {}) as { conditions?: Condition[] } & Record<string, unknown>;
    const generation = pdb.metadata.generation;
    const prev = (old.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
    const condition: Condition = {
      type: 'DisruptionAllowed',
      ...cond,
      observedGeneration: generation,
      lastTransitionTime: prev && prev.status === cond.status ? prev.lastTransitionTime : rfc3339(this.clock.now()),
    };
    const status = {
      ...numbers,
      observedGeneration: generation,
      conditions: [...(old.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed'), condition],
    };
    const comparable = { ...old, disruptedPods: old.disruptedPods ?? undefined };
    if (deepEqual(comparable, { ...status, disruptedPods: status.disruptedPods })) return;
    await this.client.updateStatus(Resources.poddisruptionbudgets, { ...pdb, status });
  }
}

function replicasOf(o: KubeObject): number {
  const r = ((o.spec ?? {}) as { replicas?: number }).replicas;
  return r ?? 1;
}
