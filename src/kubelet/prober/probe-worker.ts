/**
 * One probe of one container (upstream's prober worker): runs on its own Clock timer every
 * periodSeconds, counts consecutive results against the thresholds, and holds the verdict the
 * pod status reads. A new container instance (new ID) starts over: readiness and startup begin
 * as failed, liveness as passed. A liveness or startup failure kills the container once and
 * then waits for the next instance.
 */
import type { Clock, Timer } from '../../base/clock.js';
import type { Container } from '../pods/pod-types.js';
import { probeTiming, type Probe, type ProbeKind, type ProbeOutcome } from './probe-types.js';

export interface ContainerRunState {
  containerId: string;
  /** ms since the epoch the instance started running. */
  startedAt: number;
  podIP: string;
}

export interface ProbeWorkerHooks {
  clock: Clock;
  run(probe: Probe, state: ContainerRunState, timeoutSeconds: number): Promise<ProbeOutcome>;
  /** Liveness and readiness wait while a startup probe has not passed. */
  gated(): boolean;
  /** Each failed attempt (upstream's Unhealthy event). */
  failed(kind: ProbeKind, output: string): void;
  /** The verdict changed (pod status should be recomputed). */
  changed(): void;
  /** A liveness/startup verdict of failure: the container must be restarted. */
  kill(kind: ProbeKind, state: ContainerRunState): void;
}

export class ProbeWorker {
  private state: ContainerRunState | undefined;
  private result: boolean;
  private lastOutcome: boolean | undefined;
  private run = 0;
  private onHold = false;
  private timer: Timer | undefined;
  private busy = false;
  private stopped = false;
  private readonly timing;

  constructor(
    readonly kind: ProbeKind,
    readonly container: Container,
    private readonly probe: Probe,
    private readonly h: ProbeWorkerHooks,
  ) {
    this.timing = probeTiming(probe);
    // Liveness and startup may never need more than one success (API validation).
    if (kind !== 'readiness') this.timing.successThreshold = 1;
    this.result = this.initial();
  }

  private initial(): boolean {
    return this.kind === 'liveness';
  }

  get verdict(): boolean {
    return this.result;
  }

  /** The container's current instance, or undefined when it is not running. */
  observe(state: ContainerRunState | undefined): void {
    if (this.stopped) return;
    const before = this.state;
    this.state = state;
    if (!state) {
      this.timer?.cancel();
      this.timer = undefined;
      if (this.kind === 'readiness' && this.result) this.set(false);
      return;
    }
    if (before?.containerId !== state.containerId) {
      this.onHold = false;
      this.run = 0;
      this.lastOutcome = undefined;
      if (this.result !== this.initial()) this.set(this.initial());
      this.schedule(Math.max(0, state.startedAt + this.timing.initialDelayMs - this.h.clock.now()));
    } else if (!this.timer && !this.busy && !this.onHold) this.schedule(this.timing.periodMs);
  }

  /** Probes right away (a startup probe just passed and this probe was waiting for it). */
  wake(): void {
    if (this.stopped || !this.state || this.onHold || this.busy) return;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.h.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  private set(v: boolean): void {
    this.result = v;
    this.h.changed();
  }

  private async tick(): Promise<void> {
    const state = this.state;
    if (this.stopped || !state || this.onHold) return;
    // A startup probe is done once it passed; the others wait for it.
    if (this.kind === 'startup' && this.result) return;
    if (this.kind !== 'startup' && this.h.gated()) return this.schedule(this.timing.periodMs);
    const wait = state.startedAt + this.timing.initialDelayMs - this.h.clock.now();
    if (wait > 0) return this.schedule(wait);
    this.busy = true;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.h.run(this.probe, state, this.timing.timeoutSeconds);
    } catch (err) {
      outcome = { ok: false, output: err instanceof Error ? err.message : String(err) };
    } finally {
      this.busy = false;
    }
    if (this.stopped || this.state?.containerId !== state.containerId) return;
    if (!outcome.ok) this.h.failed(this.kind, outcome.output);
    if (outcome.ok === this.lastOutcome) this.run++;
    else {
      this.lastOutcome = outcome.ok;
      this.run = 1;
    }
    const enough = outcome.ok ? this.run >= this.timing.successThreshold : this.run >= this.timing.failureThreshold;
    if (enough && outcome.ok !== this.result) this.set(outcome.ok);
    if (enough && !outcome.ok && this.kind !== 'readiness') {
      // Upstream holds a failed liveness/startup verdict until the container is replaced.
      this.onHold = true;
      this.run = 0;
      this.h.kill(this.kind, state);
      return;
    }
    if (this.kind === 'startup' && this.result) return;
    this.schedule(this.timing.periodMs);
  }
}
