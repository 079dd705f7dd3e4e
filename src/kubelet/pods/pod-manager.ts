/**
 * Runs one PodWorker per pod bound to this node. Pods come from an informer on
 * `spec.nodeName=<node>`; container exits, outside kills and leftovers are found by relisting
 * the runtime every second (upstream's PLEG relist), which wakes the pods whose containers
 * changed. Sandboxes of pods the API no longer has (orphans, also from before a restart) get
 * a worker with no pod, which removes them.
 */
import type { Clock, Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { InformerFactory, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { POD_UID } from './cri-labels.js';
import { PodWorker, type PodWorkerDeps } from './pod-worker.js';
import type { Pod } from './pod-types.js';

/** Marks a mirror pod: the API's reflection of a static pod (value: the static pod's hash). */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export interface PodManagerOptions extends Omit<PodWorkerDeps, 'resyncAfter'> {
  relistMs?: number;
}

export class PodManager {
  private readonly workers = new Map<string, PodWorker>();
  private readonly timers = new Map<string, Timer>();
  private readonly staticPods = new Map<string, Pod>();
  private informer: Informer<Pod> | undefined;
  private relistTimer: Timer | undefined;
  private relisting = false;
  private lastSeen = new Map<string, string>();
  private closed = false;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly opts: PodManagerOptions) {
    this.clock = opts.clock;
    this.log = opts.log;
  }

  async start(signal: AbortSignal): Promise<void> {
    const factory = new InformerFactory(this.opts.client, this.clock, this.log);
    const informer = factory.forResource<Pod>(Resources.pods, { fieldSelector: `spec.nodeName=${this.opts.nodeName}` });
    this.informer = informer;
    // Mirror pods only reflect static pods, which run from their files (updateStaticPod).
    const isMirror = (p: Pod) => !!p.metadata.annotations?.[MIRROR_ANNOTATION];
    informer.addEventHandler({
      onAdd: (p) => !isMirror(p) && this.worker(p.metadata.uid!).update(p),
      onUpdate: (_o, p) => !isMirror(p) && this.worker(p.metadata.uid!).update(p),
      onDelete: (p) => !isMirror(p) && this.workers.get(p.metadata.uid!)?.update(undefined),
    });
    factory.start(signal);
    await informer.waitForSync(signal);
    await this.relist();
    this.relistTimer = this.clock.setInterval(() => void this.relist(), this.opts.relistMs ?? 1000);
  }

  /** A static pod (from a manifest file) appeared or changed; undefined: its file is gone. */
  updateStaticPod(uid: string, pod: Pod | undefined): void {
    if (pod) this.staticPods.set(uid, pod);
    else this.staticPods.delete(uid);
    if (pod || this.workers.has(uid)) this.worker(uid).update(pod);
  }

  /** Another sync of the pod now (a probe verdict changed). */
  kick(uid: string): void {
    if (!this.closed) this.workers.get(uid)?.kick();
  }

  private worker(uid: string): PodWorker {
    let w = this.workers.get(uid);
    if (!w || w.finished) {
      w = new PodWorker(uid, { ...this.opts, resyncAfter: (id, ms) => this.resyncAfter(id, ms) });
      this.workers.set(uid, w);
    }
    return w;
  }

  private resyncAfter(uid: string, ms: number): void {
    if (this.closed) return;
    this.timers.get(uid)?.cancel();
    this.timers.set(
      uid,
      this.clock.setTimeout(() => {
        this.timers.delete(uid);
        this.workers.get(uid)?.kick();
      }, ms),
    );
  }

  /** Wakes pods whose runtime state changed, and adopts runtime leftovers of unknown pods. */
  private async relist(): Promise<void> {
    if (this.relisting || this.closed) return;
    this.relisting = true;
    try {
      const [sandboxes, containers] = await Promise.all([this.opts.cri.listPodSandbox(), this.opts.cri.listContainers()]);
      const seen = new Map<string, string[]>();
      const add = (uid: string | undefined, s: string) => {
        if (!uid) return;
        if (!seen.has(uid)) seen.set(uid, []);
        seen.get(uid)!.push(s);
      };
      for (const s of sandboxes) add(s.labels[POD_UID], `${s.id}:${s.state}`);
      for (const c of containers) add(c.labels[POD_UID], `${c.id}:${c.state}`);
      const now = new Map([...seen].map(([uid, parts]) => [uid, parts.sort().join(',')]));
      for (const [uid, sig] of now) {
        if (this.lastSeen.get(uid) === sig) continue;
        const pod = this.podByUid(uid);
        const w = this.workers.get(uid);
        if (w && !w.finished) w.kick();
        else if (!pod) this.worker(uid).update(undefined);
        else this.worker(uid).update(pod);
      }
      this.lastSeen = now;
      for (const [uid, w] of this.workers) if (w.finished) this.workers.delete(uid);
    } catch (err) {
      this.log.debug('runtime relist failed', { error: err });
    } finally {
      this.relisting = false;
    }
  }

  private podByUid(uid: string): Pod | undefined {
    return this.staticPods.get(uid) ?? this.informer?.store.list().find((p) => p.metadata.uid === uid);
  }

  /** Stops watching; running pods stay running (a restarted agent adopts them). */
  async close(): Promise<void> {
    this.closed = true;
    this.relistTimer?.cancel();
    for (const t of this.timers.values()) t.cancel();
    await Promise.allSettled([...this.workers.values()].map((w) => w.whenIdle()));
  }
}
