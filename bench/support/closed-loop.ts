/**
 * Closed-loop load: `clients` workers each issue one operation at a time until `total`
 * operations are done or `durationMs` has passed, recording each operation's latency.
 */
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  clients: number;
  /** Stop after this many operations (across all clients). */
  total?: number;
  /** Stop issuing new operations after this long. */
  durationMs?: number;
  /** The i-th operation (0-based, unique across clients). */
  op: (i: number) => Promise<void>;
}

export interface LoadResult {
  count: number;
  seconds: number;
  /** Milliseconds, sorted ascending. */
  latencies: Float64Array;
}

export async function runClosedLoop(opts: LoadOptions): Promise<LoadResult> {
  const total = opts.total ?? Number.POSITIVE_INFINITY;
  const deadline = opts.durationMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + opts.durationMs;
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total && performance.now() < deadline; i = next++) {
      const t0 = performance.now();
      await opts.op(i);
      latencies.push(performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: opts.clients }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { count: latencies.length, seconds, latencies: Float64Array.from(latencies).sort() };
}

/** Nearest-rank percentile of ascending values; p in [0, 100]. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function describe(r: LoadResult, unit = 'req'): string {
  const rate = r.count / r.seconds;
  return `${Math.round(rate)} ${unit}/s, p50 ${percentile(r.latencies, 50).toFixed(2)} ms, p99 ${percentile(r.latencies, 99).toFixed(2)} ms (${r.count} in ${r.seconds.toFixed(2)} s)`;
}

export function rate(r: LoadResult): number {
  return r.count / r.seconds;
}
