/**
 * The lifecycle of one pod on a simulated node, as data: init containers one after another,
 * then the main containers; exits declared by annotations; restarts per restartPolicy with
 * the kubelet's back-off (first restart at once, then 10 s doubling to 5 min, reset after a
 * container ran 10 min). `step(now)` applies every transition due by `now` at its own time
 * and returns when the next one is due, so a caller needs only one timer for all pods.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/object.js';
import { behaviourOf, type SimBehaviour } from './annotations.js';

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRun {
  name: string;
  image: string;
  init: boolean;
  state: 'waiting' | 'running' | 'terminated';
  waitingReason?: string;
  waitingMessage?: string;
  /** How many times it has started (restartCount is runs - 1 once started). */
  runs: number;
  restartCount: number;
  containerID?: string;
  startedAt?: number;
  ready: boolean;
  readyDelayMs: number;
  readyAt?: number;
  exitAt?: number;
  plannedExit?: number;
  terminated?: Terminated;
  last?: Terminated;
  restartAt?: number;
  backoffSteps: number;
}

interface ContainerSpec {
  name: string;
  image?: string;
  readinessProbe?: { initialDelaySeconds?: number };
}

export interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  restartPolicy: RestartPolicy;
  behaviour: SimBehaviour;
  init: ContainerRun[];
  main: ContainerRun[];
  initIndex: number;
  initFailed: boolean;
  phase: PodPhase;
  startTime: number;
  /** Time of the last applied transition: immediate follow-ups happen at this time. */
  cursor: number;
}

function containerRun(c: ContainerSpec, init: boolean): ContainerRun {
  return {
    name: c.name,
    image: c.image ?? '',
    init,
    state: 'waiting',
    waitingReason: 'PodInitializing',
    runs: 0,
    restartCount: 0,
    ready: false,
    readyDelayMs: init ? 0 : Math.max(0, (c.readinessProbe?.initialDelaySeconds ?? 0) * 1000),
    backoffSteps: 0,
  };
}

export function newPodRun(pod: KubeObject, now: number): PodRun {
  const spec = (pod.spec ?? {}) as { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; restartPolicy?: RestartPolicy };
  const run: PodRun = {
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    restartPolicy: spec.restartPolicy ?? 'Always',
    behaviour: behaviourOf(pod.metadata.annotations),
    init: (spec.initContainers ?? []).map((c) => containerRun(c, true)),
    main: (spec.containers ?? []).map((c) => containerRun(c, false)),
    initIndex: 0,
    initFailed: false,
    phase: 'Pending',
    startTime: now,
    cursor: now,
  };
  // Restarted simulators keep counting restarts where the pod's status left off.
  const statuses = ((pod.status ?? {}) as { containerStatuses?: { name: string; restartCount?: number }[] }).containerStatuses ?? [];
  for (const c of run.main) {
    const prev = statuses.find((s) => s.name === c.name)?.restartCount ?? 0;
    if (prev > 0) {
      c.restartCount = prev;
      c.runs = prev;
    }
  }
  return run;
}

export function isTerminal(run: PodRun): boolean {
  return run.phase === 'Succeeded' || run.phase === 'Failed';
}

function containerID(run: PodRun, c: ContainerRun): string {
  return 'sim://' + createHash('sha256').update(`${run.uid}/${c.init ? 'init/' : ''}${c.name}/${c.runs}`).digest('hex');
}

function start(run: PodRun, c: ContainerRun, at: number): void {
  if (c.runs > 0) c.restartCount++;
  c.runs++;
  c.state = 'running';
  c.waitingReason = c.waitingMessage = undefined;
  c.restartAt = undefined;
  c.terminated = undefined;
  c.startedAt = at;
  c.containerID = containerID(run, c);
  c.ready = !c.init && c.readyDelayMs === 0;
  c.readyAt = !c.init && c.readyDelayMs > 0 ? at + c.readyDelayMs : undefined;
  const b = run.behaviour;
  const failHere = b.fail && (c.init ? b.fail.container === c.name : b.fail.container === undefined || b.fail.container === c.name);
  if (failHere) {
    c.exitAt = at + b.fail!.afterMs;
    c.plannedExit = b.fail!.exitCode;
  } else if (c.init) {
    c.exitAt = at + b.initDurationMs;
    c.plannedExit = 0;
  } else if (b.completeAfterMs !== undefined) {
    c.exitAt = at + b.completeAfterMs;
    c.plannedExit = 0;
  } else {
    c.exitAt = c.plannedExit = undefined;
  }
}

function backoffDelay(steps: number): number {
  return steps === 0 ? 0 : Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** (steps - 1));
}

export function formatDelay(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : '0s'}` : `${s}s`;
}

function exit(run: PodRun, c: ContainerRun, at: number): void {
  const exitCode = c.plannedExit ?? 0;
  const t: Terminated = {
    exitCode,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    startedAt: c.startedAt ?? at,
    finishedAt: at,
    containerID: c.containerID ?? '',
  };
  c.state = 'terminated';
  c.terminated = t;
  c.ready = c.init && exitCode === 0;
  c.readyAt = c.exitAt = c.plannedExit = undefined;
  const restart = c.init
    ? exitCode !== 0 && run.restartPolicy !== 'Never'
    : run.restartPolicy === 'Always' || (run.restartPolicy === 'OnFailure' && exitCode !== 0);
  if (c.init && exitCode === 0) {
    run.initIndex++;
    return;
  }
  if (c.init && !restart) {
    run.initFailed = true;
    return;
  }
  if (!restart) return;
  if (at - t.startedAt >= 2 * BACKOFF_MAX_MS) c.backoffSteps = 0;
  const delay = backoffDelay(c.backoffSteps);
  c.backoffSteps++;
  c.last = t;
  c.terminated = undefined;
  c.state = 'waiting';
  c.restartAt = at + delay;
  if (delay > 0) {
    c.waitingReason = 'CrashLoopBackOff';
    c.waitingMessage = `back-off ${formatDelay(delay)} restarting failed container=${c.name} pod=${run.name}_${run.namespace}(${run.uid})`;
  } else c.waitingReason = c.waitingMessage = undefined;
}

interface Transition {
  at: number;
  apply(at: number): void;
}

function containerTransition(run: PodRun, c: ContainerRun): Transition | undefined {
  if (c.state === 'waiting') return { at: c.restartAt ?? run.cursor, apply: (at) => start(run, c, at) };
  if (c.state !== 'running') return undefined;
  const candidates: Transition[] = [];
  if (c.exitAt !== undefined) candidates.push({ at: c.exitAt, apply: (at) => exit(run, c, at) });
  if (c.readyAt !== undefined && !c.ready) {
    candidates.push({
      at: c.readyAt,
      apply: () => {
        c.ready = true;
        c.readyAt = undefined;
      },
    });
  }
  // Stable sort: a container that exits at the moment it would become ready never becomes ready.
  return candidates.sort((a, b) => a.at - b.at)[0];
}

function nextTransition(run: PodRun): Transition | undefined {
  if (isTerminal(run)) return undefined;
  if (run.initIndex < run.init.length) return containerTransition(run, run.init[run.initIndex]);
  let best: Transition | undefined;
  for (const c of run.main) {
    const t = containerTransition(run, c);
    if (t && (!best || t.at < best.at)) best = t;
  }
  return best;
}

/** upstream kubelet getPhase, for the states a simulated pod can be in. */
function phaseOf(run: PodRun): PodPhase {
  if (run.initFailed) return 'Failed';
  if (run.initIndex < run.init.length) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of run.main) {
    if (c.state === 'running') running++;
    else if (c.state === 'terminated') {
      stopped++;
      if (c.terminated?.exitCode === 0) succeeded++;
    } else if (c.last) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (run.restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return run.restartPolicy === 'Never' ? 'Failed' : 'Running';
}

/**
 * Applies every transition due at or before `now`; returns when the next one is due
 * (undefined: nothing more will happen on its own) and whether anything changed.
 */
export function step(run: PodRun, now: number): { nextAt?: number; changed: boolean } {
  let changed = false;
  // A crash loop with zero-length runs makes progress only through back-off, so this bound
  // is never reached in practice; it guards against a spec that would spin.
  for (let guard = 0; guard < 10_000; guard++) {
    const t = nextTransition(run);
    if (!t || t.at > now) return { nextAt: t?.at, changed };
    const at = Math.max(t.at, run.cursor);
    t.apply(at);
    run.cursor = at;
    run.phase = phaseOf(run);
    changed = true;
  }
  return { nextAt: now + 1000, changed };
}
