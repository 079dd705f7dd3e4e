/**
 * InterPodAffinity: required pod affinity and anti-affinity of the incoming pod, the required
 * anti-affinity of pods already running, and preferred terms (both ways) as a score. Counts are
 * kept per topology pair (topologyKey, node's value for it).
 */
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../framework/framework.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, NodeScore, PreFilterExtensions, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { termMatches, type AffinityTerm, type PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

const STATE_KEY = 'PreFilterInterPodAffinity';
const SCORE_KEY = 'PreScoreInterPodAffinity';

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

class Counts extends Map<string, number> {
  bump(k: string, d: number): void {
    const v = (this.get(k) ?? 0) + d;
    if (v === 0) this.delete(k);
    else this.set(k, v);
  }
}

class PreFilterState {
  existingAntiAffinity = new Counts();
  affinity = new Counts();
  antiAffinity = new Counts();

  clone(): PreFilterState {
    const c = new PreFilterState();
    for (const [k, v] of this.existingAntiAffinity) c.existingAntiAffinity.set(k, v);
    for (const [k, v] of this.affinity) c.affinity.set(k, v);
    for (const [k, v] of this.antiAffinity) c.antiAffinity.set(k, v);
    return c;
  }
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = PluginNames.InterPodAffinity;
  readonly preFilterExtensions: PreFilterExtensions;

  constructor(private readonly handle: Pick<Handle, 'snapshot' | 'listers'>) {
    this.preFilterExtensions = {
      addPod: (state, pod, other, nodeInfo) => this.update(state, pod, other, nodeInfo, 1),
      removePod: (state, pod, other, nodeInfo) => this.update(state, pod, other, nodeInfo, -1),
    };
  }

  private get ns() {
    return this.handle.listers.namespaceLabels;
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const s = new PreFilterState();
    for (const nodeInfo of this.handle.snapshot.havePodsWithRequiredAntiAffinity()) {
      for (const existing of nodeInfo.pods.values()) this.countExistingAnti(s, pod, existing, nodeInfo, 1);
    }
    if (pod.requiredAffinityTerms.length || pod.requiredAntiAffinityTerms.length) {
      for (const nodeInfo of this.handle.snapshot.list()) {
        for (const existing of nodeInfo.pods.values()) this.countIncoming(s, pod, existing, nodeInfo, 1);
      }
    } else if (s.existingAntiAffinity.size === 0) {
      return { status: new Status('Skip') };
    }
    state.write(STATE_KEY, s);
    return { status: Status.success() };
  }

  private countExistingAnti(s: PreFilterState, pod: PodInfo, existing: PodInfo, nodeInfo: NodeInfo, d: number): void {
    for (const t of existing.requiredAntiAffinityTerms) {
      const v = nodeInfo.labels[t.topologyKey];
      if (v !== undefined && termMatches(t, pod.pod, this.ns)) s.existingAntiAffinity.bump(pairKey(t.topologyKey, v), d);
    }
  }

  private countIncoming(s: PreFilterState, pod: PodInfo, existing: PodInfo, nodeInfo: NodeInfo, d: number): void {
    const labels = nodeInfo.labels;
    if (pod.requiredAffinityTerms.length && pod.requiredAffinityTerms.every((t) => termMatches(t, existing.pod, this.ns))) {
      for (const t of pod.requiredAffinityTerms) {
        const v = labels[t.topologyKey];
        if (v !== undefined) s.affinity.bump(pairKey(t.topologyKey, v), d);
      }
    }
    for (const t of pod.requiredAntiAffinityTerms) {
      const v = labels[t.topologyKey];
      if (v !== undefined && termMatches(t, existing.pod, this.ns)) s.antiAffinity.bump(pairKey(t.topologyKey, v), d);
    }
  }

  private update(state: CycleState, pod: PodInfo, other: PodInfo, nodeInfo: NodeInfo, d: number): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.success();
    this.countExistingAnti(s, pod, other, nodeInfo, d);
    this.countIncoming(s, pod, other, nodeInfo, d);
    return Status.success();
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.success();
    const labels = nodeInfo.labels;
    if (!this.satisfiesAffinity(s, pod, labels)) return Status.unresolvable(ERR_REASON_AFFINITY);
    for (const t of pod.requiredAntiAffinityTerms) {
      const v = labels[t.topologyKey];
      if (v !== undefined && (s.antiAffinity.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    for (const k of s.existingAntiAffinity.keys()) {
      const i = k.indexOf('\u0000');
      if (labels[k.slice(0, i)] === k.slice(i + 1)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    }
    return Status.success();
  }

  private satisfiesAffinity(s: PreFilterState, pod: PodInfo, labels: Record<string, string>): boolean {
    const terms = pod.requiredAffinityTerms;
    if (terms.length === 0) return true;
    let podsExist = true;
    for (const t of terms) {
      const v = labels[t.topologyKey];
      if (v === undefined || (s.affinity.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) {
        podsExist = false;
        break;
      }
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: nothing matches anywhere yet, so let it
    // start the group on any node that has the topology labels.
    if (s.affinity.size === 0 && terms.every((t) => termMatches(t, pod.pod, this.ns))) {
      return terms.every((t) => labels[t.topologyKey] !== undefined);
    }
    return false;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return new Status('Skip');
    const hasPreferred = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const scores = new Map<string, number>();
    const source = hasPreferred ? this.handle.snapshot.list() : this.handle.snapshot.havePodsWithAffinity();
    for (const nodeInfo of source) {
      if (!nodeInfo.node) continue;
      for (const existing of nodeInfo.pods.values()) {
        if (!hasPreferred && !existing.hasAffinity) continue;
        this.scoreExisting(scores, pod, existing, nodeInfo);
      }
    }
    if (scores.size === 0) return new Status('Skip');
    state.write(SCORE_KEY, scores);
    return Status.success();
  }

  private scoreExisting(scores: Map<string, number>, pod: PodInfo, existing: PodInfo, nodeInfo: NodeInfo): void {
    const labels = nodeInfo.labels;
    const add = (terms: readonly AffinityTerm[], target: PodInfo, sign: number) => {
      for (const t of terms) {
        const v = labels[t.topologyKey];
        if (v === undefined || !termMatches(t, target.pod, this.ns)) continue;
        const k = pairKey(t.topologyKey, v);
        scores.set(k, (scores.get(k) ?? 0) + sign * t.weight);
      }
    };
    add(pod.preferredAffinityTerms, existing, 1);
    add(pod.preferredAntiAffinityTerms, existing, -1);
    // Existing pods' required affinity counts with hardPodAffinityWeight (1).
    add(existing.requiredAffinityTerms, pod, 1);
    add(existing.preferredAffinityTerms, pod, 1);
    add(existing.preferredAntiAffinityTerms, pod, -1);
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const scores = state.read<Map<string, number>>(SCORE_KEY);
    if (!scores) return 0;
    let sum = 0;
    const labels = nodeInfo.labels;
    for (const [k, v] of scores) {
      const i = k.indexOf('\u0000');
      if (labels[k.slice(0, i)] === k.slice(i + 1)) sum += v;
    }
    return sum;
  }

  normalizeScore(state: CycleState, _p: PodInfo, scores: NodeScore[]): void {
    if (!state.read(SCORE_KEY) || scores.length === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      min = Math.min(min, s.score);
      max = Math.max(max, s.score);
    }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Pod', actions: ['Add', 'Update', 'Delete'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
      { resource: 'Namespace', actions: ['Add', 'Update'] },
    ];
  }
}
