/**
 * Annotations that tell a simulated node what a pod's containers "do". Simulated containers
 * run no process, so exits are declared on the pod:
 *
 * - `sim.skiff.io/fail: "exit=1[,after=3s][,container=NAME]"` — the container (every main
 *   container when `container` is absent; init containers only when named) exits with the
 *   code `after` its start, on every run. restartPolicy decides what follows: Always and
 *   OnFailure restart it with upstream's CrashLoopBackOff back-off, Never fails the pod.
 * - `sim.skiff.io/complete-after: "5s"` — every main container exits 0 (reason Completed)
 *   that long after it starts. With Never/OnFailure the pod Succeeds (Jobs finish); with
 *   Always the kubelet restarts it, as upstream does.
 * - `sim.skiff.io/init-duration: "2s"` — how long each init container runs (default 0s:
 *   they complete at once, still one after another).
 * - `sim.skiff.io/termination-delay: "5s"` — how long a deleted pod takes to stop, capped
 *   by its grace period (default 0s: it is deleted at once, as KWOK does).
 *
 * Durations use Go's syntax (`1h2m3.5s`, `500ms`); a bare number means seconds.
 */
export const FAIL_ANNOTATION = 'sim.skiff.io/fail';
export const COMPLETE_AFTER_ANNOTATION = 'sim.skiff.io/complete-after';
export const INIT_DURATION_ANNOTATION = 'sim.skiff.io/init-duration';
export const TERMINATION_DELAY_ANNOTATION = 'sim.skiff.io/termination-delay';

export interface FailSpec {
  exitCode: number;
  afterMs: number;
  /** Undefined: every main container. */
  container?: string;
}

export interface SimBehaviour {
  fail?: FailSpec;
  completeAfterMs?: number;
  initDurationMs: number;
  terminationDelayMs: number;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go time.ParseDuration, plus bare numbers as seconds; undefined when malformed. */
export function parseDuration(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const text = s.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? Math.round(total) : undefined;
}

export function parseFailSpec(s: string | undefined): FailSpec | undefined {
  if (s === undefined) return undefined;
  const spec: FailSpec = { exitCode: 1, afterMs: 0 };
  for (const part of s.split(',')) {
    const [k, v = ''] = part.split('=').map((x) => x.trim());
    if (k === 'exit') {
      const n = Number(v);
      if (Number.isInteger(n)) spec.exitCode = n;
    } else if (k === 'after') spec.afterMs = parseDuration(v) ?? 0;
    else if (k === 'container' && v) spec.container = v;
  }
  return spec;
}

export function behaviourOf(annotations: Record<string, string> | undefined): SimBehaviour {
  const a = annotations ?? {};
  return {
    fail: parseFailSpec(a[FAIL_ANNOTATION]),
    completeAfterMs: parseDuration(a[COMPLETE_AFTER_ANNOTATION]),
    initDurationMs: parseDuration(a[INIT_DURATION_ANNOTATION]) ?? 0,
    terminationDelayMs: parseDuration(a[TERMINATION_DELAY_ANNOTATION]) ?? 0,
  };
}
