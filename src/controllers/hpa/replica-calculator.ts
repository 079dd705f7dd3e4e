/**
 * Replica counts from resource usage (upstream podautoscaler/replica_calculator.go): usage over
 * target across the pods that have metrics, with the tolerance band, and the conservative
 * treatment of pods without metrics (assumed at target when scaling down, idle when scaling up)
 * and of unready pods (idle, and only when scaling up).
 */
export const TOLERANCE = 0.1;

export interface PodSample {
  /** Usage in the unit of the target (milli-CPU or bytes); undefined: no metric. */
  usage?: number;
  /** Sum of the containers' requests in the same unit (utilization targets only). */
  request: number;
  ready: boolean;
}

export interface Computed {
  replicas: number;
  /** averageUtilization (percent) or averageValue of the pods with metrics. */
  current: number;
}

/** target: a utilization percentage, or an average value per pod when `utilization` is false. */
export function computeReplicas(currentReplicas: number, samples: PodSample[], target: number, utilization: boolean): Computed {
  const measured = samples.filter((s) => s.usage !== undefined && s.ready);
  const missing = samples.filter((s) => s.usage === undefined);
  const unready = samples.filter((s) => s.usage !== undefined && !s.ready);
  if (measured.length === 0 && missing.length === 0 && unready.length === 0) throw new Error('no pods found');
  const ratioOf = (group: PodSample[], fill: (s: PodSample) => number) => {
    const usage = group.reduce((a, s) => a + fill(s), 0);
    if (utilization) {
      const req = group.reduce((a, s) => a + s.request, 0);
      const pct = req > 0 ? (usage * 100) / req : 0;
      return { ratio: pct / target, current: Math.round(pct) };
    }
    const avg = group.length ? usage / group.length : 0;
    return { ratio: avg / target, current: avg };
  };
  const first = ratioOf(measured, (s) => s.usage!);
  const scaleUpWithUnready = unready.length > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && missing.length === 0) {
    if (Math.abs(1 - first.ratio) <= TOLERANCE) return { replicas: currentReplicas, current: first.current };
    return { replicas: Math.ceil(first.ratio * measured.length), current: first.current };
  }
  const atTarget = (s: PodSample) => (utilization ? (s.request * target) / 100 : target);
  const fill = [...measured.map((s) => ({ s, v: s.usage! }))];
  for (const s of missing) fill.push({ s, v: first.ratio < 1 ? atTarget(s) : 0 });
  if (scaleUpWithUnready) for (const s of unready) fill.push({ s, v: 0 });
  const group = fill.map((f) => f.s);
  const values = new Map(fill.map((f) => [f.s, f.v]));
  const second = ratioOf(group, (s) => values.get(s)!);
  if (Math.abs(1 - second.ratio) <= TOLERANCE || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) {
    return { replicas: currentReplicas, current: first.current };
  }
  const replicas = Math.ceil(second.ratio * group.length);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, current: first.current };
  return { replicas, current: first.current };
}
