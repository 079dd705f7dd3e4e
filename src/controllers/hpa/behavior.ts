/**
 * autoscaling/v2 behavior (upstream normalizeDesiredReplicasWithBehaviors): a stabilization
 * window over recent recommendations (scale-down 300 s by default), then per-period rate
 * policies over recent scale events, then min/max replicas.
 */
export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

const DEFAULT_UP: Required<ScalingRules> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_DOWN: Required<ScalingRules> = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

export interface Recommendation {
  replicas: number;
  at: number;
}

export interface ScaleEvent {
  change: number;
  at: number;
}

export interface Normalized {
  replicas: number;
  /** ScalingLimited reason and message when the result was limited. */
  limited?: { reason: string; message: string };
  stabilized: boolean;
}

function rules(given: ScalingRules | undefined, defaults: Required<ScalingRules>): Required<ScalingRules> {
  return {
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: given?.policies?.length ? given.policies : defaults.policies,
  };
}

export function normalize(opts: {
  current: number;
  desired: number;
  min: number;
  max: number;
  behavior?: Behavior;
  recommendations: Recommendation[];
  events: ScaleEvent[];
  now: number;
}): Normalized {
  const up = rules(opts.behavior?.scaleUp, DEFAULT_UP);
  const down = rules(opts.behavior?.scaleDown, DEFAULT_DOWN);
  const { current, now } = opts;
  let upRec = opts.desired;
  let downRec = opts.desired;
  for (const r of opts.recommendations) {
    if (r.at > now - up.stabilizationWindowSeconds * 1000) upRec = Math.min(upRec, r.replicas);
    if (r.at > now - down.stabilizationWindowSeconds * 1000) downRec = Math.max(downRec, r.replicas);
  }
  let stabilized = current;
  if (stabilized < upRec) stabilized = upRec;
  if (stabilized > downRec) stabilized = downRec;

  if (stabilized > current) {
    const limit = Math.max(current, scaleLimit(up, current, opts.events, now, 1));
    const allowed = Math.min(opts.max, limit);
    if (stabilized > allowed) {
      return {
        replicas: allowed,
        stabilized: stabilized !== opts.desired,
        limited: limit < opts.max ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' },
      };
    }
    return { replicas: stabilized, stabilized: stabilized !== opts.desired };
  }
  if (stabilized < current) {
    const limit = Math.min(current, scaleLimit(down, current, opts.events, now, -1));
    const allowed = Math.max(opts.min, limit);
    if (stabilized < allowed) {
      return {
        replicas: allowed,
        stabilized: stabilized !== opts.desired,
        limited: limit > opts.min ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' },
      };
    }
    return { replicas: stabilized, stabilized: stabilized !== opts.desired };
  }
  if (stabilized > opts.max) return { replicas: opts.max, stabilized: false, limited: { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' } };
  if (stabilized < opts.min) return { replicas: opts.min, stabilized: false, limited: { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' } };
  return { replicas: stabilized, stabilized: stabilized !== opts.desired };
}

/** The most (direction 1) or least (-1) replicas the policies allow now. */
function scaleLimit(r: Required<ScalingRules>, current: number, events: ScaleEvent[], now: number, direction: 1 | -1): number {
  if (r.selectPolicy === 'Disabled') return current;
  const limits = r.policies.map((p) => {
    const changed = events.filter((e) => e.at > now - p.periodSeconds * 1000 && Math.sign(e.change) === direction).reduce((a, e) => a + Math.abs(e.change), 0);
    const periodStart = current - direction * changed;
    if (direction === 1) return p.type === 'Pods' ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
    return p.type === 'Pods' ? periodStart - p.value : Math.ceil(periodStart * (1 - p.value / 100));
  });
  const pickMost = r.selectPolicy === 'Max';
  if (direction === 1) return pickMost ? Math.max(...limits) : Math.min(...limits);
  return pickMost ? Math.min(...limits) : Math.max(...limits);
}
