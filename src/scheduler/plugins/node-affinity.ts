/**
 * NodeAffinity: spec.nodeSelector and required node affinity must match (both, when both are
 * set); preferred terms add their weights to the score. A required term list that pins the pod
 * to named nodes (DaemonSet pods) narrows the candidates in PreFilter.
 */
import type { NodeSelectorTerm } from '../framework/api-types.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, NodeScore, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { defaultNormalizeScore } from '../framework/normalize-score.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';
import { matchesNodeSelectorTerms, matchesTerm, nodeNamesFromTerms } from './node-selector-match.js';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** Whether a node satisfies the pod's nodeSelector and required node affinity. */
export function podMatchesNodeSelectorAndAffinity(pod: PodInfo, nodeInfo: NodeInfo): boolean {
  const node = nodeInfo.node;
  if (!node) return false;
  const sel = pod.pod.spec.nodeSelector;
  if (sel) {
    const labels = nodeInfo.labels;
    for (const k in sel) if (labels[k] !== sel[k]) return false;
  }
  const req = pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) return matchesNodeSelectorTerms(node, req.nodeSelectorTerms ?? []);
  return true;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = PluginNames.NodeAffinity;

  preFilter(_s: CycleState, pod: PodInfo): { result?: PreFilterResult; status: Status } {
    const req = pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!pod.pod.spec.nodeSelector && !req) return { status: new Status('Skip') };
    const terms = req?.nodeSelectorTerms;
    if (!terms?.length) return { status: Status.success() };
    const names = nodeNamesFromTerms(terms);
    if (names && names.size === 0) return { status: Status.unresolvable(ERR_REASON_NODE_AFFINITY) };
    return { result: names ? { nodeNames: names } : undefined, status: Status.success() };
  }

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    return podMatchesNodeSelectorAndAffinity(pod, nodeInfo) ? Status.success() : Status.unresolvable(ERR_REASON_NODE_AFFINITY);
  }

  /** Without preferred terms every node scores 0: skip the work. */
  preScore(_s: CycleState, pod: PodInfo): Status {
    return pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? Status.success() : new Status('Skip');
  }

  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const prefs = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!prefs?.length || !nodeInfo.node) return 0;
    let sum = 0;
    for (const p of prefs) if (p.weight && matchesTerm(nodeInfo.node, p.preference as NodeSelectorTerm)) sum += p.weight;
    return sum;
  }

  normalizeScore(_s: CycleState, _p: PodInfo, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, false);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', actions: ['Add', 'Update'] }];
  }
}
