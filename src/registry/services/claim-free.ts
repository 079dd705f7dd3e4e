/** Choosing a free value from a range whose allocations live in the store. */

/** Candidate offsets `lo..hi`, both included. */
export interface Band {
  lo: number;
  hi: number;
}

export interface ClaimFreeOptions {
  /** Attempts to take one offset; false when it is held already. */
  tryClaim(offset: number): Promise<boolean>;
  /** The offsets held right now (one listing of the allocation keys). */
  taken(): Promise<Set<number>>;
  random?: () => number;
  /** Random probes per band before listing what is taken. */
  probes?: number;
}

/**
 * Claims a free offset, trying bands in order. Random probes first, which is cheap while a
 * range is sparse; then one listing of the taken values and random picks among the rest, so a
 * nearly full range still finds its last free values. Undefined when every band is full.
 */
export async function claimFree(bands: Band[], opts: ClaimFreeOptions): Promise<number | undefined> {
  const random = opts.random ?? Math.random;
  const probes = opts.probes ?? 8;
  for (const band of bands) {
    const size = band.hi - band.lo + 1;
    if (size <= 0) continue;
    const tried = new Set<number>();
    for (let i = 0; i < Math.min(probes, size); i++) {
      const n = band.lo + Math.floor(random() * size);
      if (tried.has(n)) continue;
      tried.add(n);
      if (await opts.tryClaim(n)) return n;
    }
    const taken = await opts.taken();
    const free: number[] = [];
    for (let n = band.lo; n <= band.hi; n++) if (!taken.has(n) && !tried.has(n)) free.push(n);
    while (free.length > 0) {
      const i = Math.floor(random() * free.length);
      const n = free[i];
      free[i] = free[free.length - 1];
      free.pop();
      if (await opts.tryClaim(n)) return n;
    }
  }
  return undefined;
}

/**
 * Size of the lower part of a range kept for explicit requests (KEP-3070 / KEP-3668): dynamic
 * allocation uses the upper part first. `step`, `min` and `max` are upstream's per-range knobs.
 */
export function staticBandSize(rangeSize: number, step: number, min: number, max: number): number {
  if (rangeSize <= min) return 0;
  return Math.max(min, Math.min(max, Math.floor(rangeSize / step)));
}
