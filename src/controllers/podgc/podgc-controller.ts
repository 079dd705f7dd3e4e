/**
 * Pod garbage collection (upstream pkg/controller/podgc/gc_controller.go), every 20 s:
 * - terminated pods beyond `terminatedPodThreshold` are deleted, evicted and oldest first;
 * - pods bound to a node that no longer exists are failed with a DisruptionTarget condition
 *   and deleted, once the node has been missing for the quarantine period (40 s) and a live
 *   GET confirms it is gone;
 * - terminating pods never scheduled, and terminating pods on NotReady nodes tainted
 *   `node.kubernetes.io/out-of-service`, are force-deleted.
 */
import type { KubeObject } from '../../api/object.js';
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import type { Controller, ControllerContext } from '../types.js';
import { podPhase } from '../common/pods.js';

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;
export const DEFAULT_TERMINATED_POD_THRESHOLD = 12500;
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

interface PodShape extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string; conditions?: { type: string; status: string }[] };
}

export class PodGCController implements Controller {
  readonly name = 'pod-garbage-collector';
  readonly pods: Informer<PodShape>;
  readonly nodes: Informer;
  /** node name → when it was first seen missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    readonly terminatedPodThreshold = DEFAULT_TERMINATED_POD_THRESHOLD,
  ) {
    this.pods = ctx.informers.forResource<PodShape>(Resources.pods);
    this.nodes = ctx.informers.forResource(Resources.nodes);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    try {
      await Promise.all([this.pods.waitForSync(signal), this.nodes.waitForSync(signal)]);
    } catch {
      return;
    }
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      void this.gc()
        .catch((err) => this.ctx.log.debug('pod gc failed', { error: err }))
        .finally(() => (running = false));
    };
    const timer = this.ctx.clock.setInterval(tick, GC_CHECK_PERIOD_MS);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => (timer.cancel(), resolve()), { once: true }));
  }

  async gc(): Promise<void> {
    const pods = this.pods.store.list();
    await this.gcTerminating(pods);
    await this.gcTerminated(pods);
    await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminating(pods: PodShape[]): Promise<void> {
    for (const pod of pods) {
      if (!pod.metadata.deletionTimestamp || isTerminal(pod) || !pod.spec?.nodeName) continue;
      const node = this.nodes.store.getByName(undefined, pod.spec.nodeName);
      if (!node || nodeReady(node) || !hasTaint(node, OUT_OF_SERVICE_TAINT)) continue;
      await this.markFailedAndDelete(pod);
    }
  }

  private async gcTerminated(pods: PodShape[]): Promise<void> {
    if (this.terminatedPodThreshold <= 0) return;
    const terminated = pods.filter(isTerminal);
    const excess = terminated.length - this.terminatedPodThreshold;
    if (excess <= 0) return;
    terminated.sort(byEvictionAndCreation);
    await Promise.all(terminated.slice(0, excess).map((p) => this.markFailedAndDelete(p)));
  }

  private async gcOrphaned(pods: PodShape[]): Promise<void> {
    const now = this.ctx.clock.now();
    const missing = new Set<string>();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !this.nodes.store.getByName(undefined, nodeName)) missing.add(nodeName);
    }
    for (const name of this.missingSince.keys()) if (!missing.has(name)) this.missingSince.delete(name);
    const gone = new Set<string>();
    for (const name of missing) {
      const since = this.missingSince.get(name);
      if (since === undefined) {
        this.missingSince.set(name, now);
        continue;
      }
      if (now - since < QUARANTINE_MS) continue;
      try {
        await this.ctx.client.get(Resources.nodes, undefined, name);
        this.missingSince.delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        gone.add(name);
      }
    }
    for (const pod of pods) {
      if (!pod.spec?.nodeName || !gone.has(pod.spec.nodeName)) continue;
      await this.markFailedAndDelete(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    }
  }

  private async gcUnscheduledTerminating(pods: PodShape[]): Promise<void> {
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp && !pod.spec?.nodeName) await this.markFailedAndDelete(pod);
    }
  }

  /** Marks a non-terminal pod Failed (with `condition` when given), then force-deletes it. */
  async markFailedAndDelete(pod: PodShape, condition?: { type: string; status: string; reason: string; message: string }): Promise<void> {
    const { client, clock } = this.ctx;
    const ns = pod.metadata.namespace;
    const name = pod.metadata.name!;
    try {
      if (!isTerminal(pod) || condition) {
        const status: Record<string, unknown> = { ...pod.status };
        if (!isTerminal(pod)) status.phase = 'Failed';
        if (condition) {
          const conds = (pod.status?.conditions ?? []).filter((c) => c.type !== condition.type);
          status.conditions = [...conds, { ...condition, lastTransitionTime: rfc3339(clock.now()) }];
        }
        await client.updateStatus(Resources.pods, { ...pod, status });
      }
      await client.delete(Resources.pods, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

function isTerminal(pod: PodShape): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

function isEvicted(pod: PodShape): boolean {
  return podPhase(pod) === 'Failed' && pod.status?.reason === 'Evicted';
}

/** Evicted pods first, then oldest, then by name (upstream byEvictionAndCreationTimestamp). */
function byEvictionAndCreation(a: PodShape, b: PodShape): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

function nodeReady(node: KubeObject): boolean {
  const conds = ((node.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return conds.find((c) => c.type === 'Ready')?.status === 'True';
}

function hasTaint(node: KubeObject, key: string): boolean {
  const taints = ((node.spec ?? {}) as { taints?: { key: string }[] }).taints ?? [];
  return taints.some((t) => t.key === key);
}
