/**
 * PodTopologySpread: DoNotSchedule constraints bound the skew (matching pods in a domain minus
 * the global minimum) by maxSkew; ScheduleAnyway constraints favour less crowded domains.
 * No cluster-level default constraints are applied.
 */
import { fromLabelSelectorObject, matchesLabels, type LabelSelector } from '../../api/selectors/label-selector.js';
import type { TopologySpreadConstraint } from '../framework/api-types.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../framework/framework.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, NodeScore, PreFilterExtensions, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity.js';
import { firstUntolerated } from './taint-match.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

const STATE_KEY = 'PreFilterPodTopologySpread';
const SCORE_KEY = 'PreScorePodTopologySpread';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

function parseConstraints(pod: PodInfo, which: TopologySpreadConstraint['whenUnsatisfiable']): Constraint[] {
  const labels = pod.pod.metadata.labels ?? {};
  const out: Constraint[] = [];
  for (const c of pod.pod.spec.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== which) continue;
    let selector: LabelSelector;
    try {
      selector = c.labelSelector ? fromLabelSelectorObject(c.labelSelector) : [{ key: '', op: 'in', values: [] }];
    } catch {
      selector = [{ key: '', op: 'in', values: [] }];
    }
    for (const k of c.matchLabelKeys ?? []) if (k in labels) selector = [...selector, { key: k, op: 'in', values: [labels[k]!] }];
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

/** Whether a node takes part in counting for `c` (policies and presence of every key). */
function nodeEligible(pod: PodInfo, nodeInfo: NodeInfo, c: Constraint, all: readonly Constraint[]): boolean {
  if (!nodeInfo.node) return false;
  for (const o of all) if (nodeInfo.labels[o.topologyKey] === undefined) return false;
  if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod, nodeInfo)) return false;
  if (c.honorTaints && firstUntolerated(nodeInfo.node.spec?.taints, pod.pod.spec.tolerations, ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

function countMatching(pod: PodInfo, nodeInfo: NodeInfo, selector: LabelSelector): number {
  const ns = pod.pod.metadata.namespace;
  let n = 0;
  for (const p of nodeInfo.pods.values()) {
    if (p.pod.metadata.namespace !== ns || p.pod.metadata.deletionTimestamp) continue;
    if (matchesLabels(selector, p.pod.metadata.labels)) n++;
  }
  return n;
}

class PreFilterState {
  constructor(
    readonly constraints: Constraint[],
    readonly pairs = new Map<string, number>(),
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.constraints, new Map(this.pairs));
  }

  /** Smallest count among the domains of `key`, and how many domains there are. */
  minAndDomains(key: string): { min: number; domains: number } {
    let min = Infinity;
    let domains = 0;
    const prefix = key + '\u0000';
    for (const [k, v] of this.pairs) {
      if (!k.startsWith(prefix)) continue;
      domains++;
      if (v < min) min = v;
    }
    return { min: domains ? min : 0, domains };
  }
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = PluginNames.PodTopologySpread;
  readonly preFilterExtensions: PreFilterExtensions;
  /** Per-cycle cache of minimum counts, keyed by the state object. */
  private readonly mins = new WeakMap<PreFilterState, Map<string, { min: number; domains: number }>>();

  constructor(private readonly handle: Pick<Handle, 'snapshot'>) {
    this.preFilterExtensions = {
      addPod: (state, pod, other, nodeInfo) => this.update(state, pod, other, nodeInfo, 1),
      removePod: (state, pod, other, nodeInfo) => this.update(state, pod, other, nodeInfo, -1),
    };
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const constraints = parseConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: new Status('Skip') };
    const s = new PreFilterState(constraints);
    for (const nodeInfo of this.handle.snapshot.list()) {
      for (const c of constraints) {
        if (!nodeEligible(pod, nodeInfo, c, constraints)) continue;
        const k = pairKey(c.topologyKey, nodeInfo.labels[c.topologyKey]!);
        s.pairs.set(k, (s.pairs.get(k) ?? 0) + countMatching(pod, nodeInfo, c.selector));
      }
    }
    state.write(STATE_KEY, s);
    return { status: Status.success() };
  }

  private update(state: CycleState, pod: PodInfo, other: PodInfo, nodeInfo: NodeInfo, d: number): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s || other.pod.metadata.namespace !== pod.pod.metadata.namespace) return Status.success();
    for (const c of s.constraints) {
      if (!nodeEligible(pod, nodeInfo, c, s.constraints) || !matchesLabels(c.selector, other.pod.metadata.labels)) continue;
      const k = pairKey(c.topologyKey, nodeInfo.labels[c.topologyKey]!);
      s.pairs.set(k, (s.pairs.get(k) ?? 0) + d);
    }
    this.mins.delete(s);
    return Status.success();
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.success();
    let mins = this.mins.get(s);
    if (!mins) this.mins.set(s, (mins = new Map()));
    for (const c of s.constraints) {
      const v = nodeInfo.labels[c.topologyKey];
      if (v === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      let m = mins.get(c.topologyKey);
      if (!m) mins.set(c.topologyKey, (m = s.minAndDomains(c.topologyKey)));
      const minMatch = m.domains < c.minDomains ? 0 : m.min;
      const selfMatch = matchesLabels(c.selector, pod.pod.metadata.labels) ? 1 : 0;
      const skew = (s.pairs.get(pairKey(c.topologyKey, v)) ?? 0) + selfMatch - minMatch;
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return Status.success();
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    const constraints = parseConstraints(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return new Status('Skip');
    const ignored = new Set<string>();
    const domains = constraints.map(() => new Set<string>());
    for (const n of nodes) {
      if (constraints.some((c) => n.labels[c.topologyKey] === undefined)) {
        ignored.add(n.name);
        continue;
      }
      constraints.forEach((c, i) => domains[i]!.add(n.labels[c.topologyKey]!));
    }
    const pairs = new Map<string, number>();
    for (const nodeInfo of this.handle.snapshot.list()) {
      for (const c of constraints) {
        if (!nodeEligible(pod, nodeInfo, c, constraints)) continue;
        const k = pairKey(c.topologyKey, nodeInfo.labels[c.topologyKey]!);
        pairs.set(k, (pairs.get(k) ?? 0) + countMatching(pod, nodeInfo, c.selector));
      }
    }
    const weights = domains.map((d) => Math.log(d.size + 2));
    state.write(SCORE_KEY, { constraints, pairs, ignored, weights });
    return Status.success();
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const s = state.read<{ constraints: Constraint[]; pairs: Map<string, number>; ignored: Set<string>; weights: number[] }>(SCORE_KEY);
    if (!s || s.ignored.has(nodeInfo.name)) return 0;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const cnt = s.pairs.get(pairKey(c.topologyKey, nodeInfo.labels[c.topologyKey]!)) ?? 0;
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  /** Fewer matching pods is better; nodes without the keys get 0. */
  normalizeScore(state: CycleState, _p: PodInfo, scores: NodeScore[]): void {
    const s = state.read<{ ignored: Set<string> }>(SCORE_KEY);
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (const n of scores) {
      if (s.ignored.has(n.node.name)) continue;
      min = Math.min(min, n.score);
      max = Math.max(max, n.score);
    }
    for (const n of scores) {
      if (s.ignored.has(n.node.name)) n.score = 0;
      else if (max === 0) n.score = MAX_NODE_SCORE;
      else n.score = Math.trunc((MAX_NODE_SCORE * (max + min - n.score)) / max);
    }
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Pod', actions: ['Add', 'Update', 'Delete'] },
      { resource: 'Node', actions: ['Add', 'Update', 'Delete'] },
    ];
  }
}
