/**
 * Turns cumulative CPU time into a rate: usageNanoCores is the CPU time consumed between two
 * samples divided by the wall time between them (nanoseconds per second of cores, i.e. 1e9 is
 * one full core). The previous sample of each series is kept until the series goes away.
 */
export interface CpuSample {
  /** Sample time in nanoseconds (any fixed origin). */
  timeNs: number;
  usageCoreNanoSeconds: number;
}

export function nanoCores(prev: CpuSample, cur: CpuSample): number | undefined {
  const dt = cur.timeNs - prev.timeNs;
  const du = cur.usageCoreNanoSeconds - prev.usageCoreNanoSeconds;
  // A restarted container starts its counter anew; a zero interval says nothing.
  if (dt <= 0 || du < 0) return undefined;
  return Math.round((du / dt) * 1e9);
}

export class CpuRateTracker {
  private readonly last = new Map<string, { sample: CpuSample; rate?: number }>();

  /**
   * Records `cur` for series `key` and answers its rate against the previous sample; samples
   * closer than `minIntervalNs` to the previous one are not recorded (the earlier rate stands),
   * so frequent scrapes do not shrink the measuring interval to noise.
   */
  observe(key: string, cur: CpuSample, minIntervalNs = 0): number | undefined {
    const prev = this.last.get(key);
    if (!prev) {
      this.last.set(key, { sample: cur });
      return undefined;
    }
    if (cur.timeNs - prev.sample.timeNs < minIntervalNs && cur.usageCoreNanoSeconds >= prev.sample.usageCoreNanoSeconds) return prev.rate;
    const rate = nanoCores(prev.sample, cur);
    this.last.set(key, { sample: cur, rate });
    return rate;
  }

  has(key: string): boolean {
    return this.last.has(key);
  }

  /** Forgets every series not in `live` (containers that are gone). */
  retain(live: Set<string>): void {
    for (const k of this.last.keys()) if (!live.has(k)) this.last.delete(k);
  }
}
