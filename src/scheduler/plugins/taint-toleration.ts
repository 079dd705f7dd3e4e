/**
 * TaintToleration: NoSchedule/NoExecute taints must be tolerated; untolerated
 * PreferNoSchedule taints lower the score.
 */
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, NodeScore, ScorePlugin } from '../framework/interface.js';
import { defaultNormalizeScore } from '../framework/normalize-score.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';
import type { CycleState } from '../framework/cycle-state.js';
import { firstUntolerated, tolerated } from './taint-match.js';

const FILTER_EFFECTS = ['NoSchedule', 'NoExecute'];

export class TaintToleration implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = PluginNames.TaintToleration;

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const taint = firstUntolerated(nodeInfo.node?.spec?.taints, pod.pod.spec.tolerations, FILTER_EFFECTS);
    if (!taint) return Status.success();
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const taints = nodeInfo.node?.spec?.taints;
    if (!taints?.length) return 0;
    // Only tolerations that could apply to PreferNoSchedule count here.
    const tols = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    let n = 0;
    for (const t of taints) if (t.effect === 'PreferNoSchedule' && !tolerated(tols, t)) n++;
    return n;
  }

  /** Fewer intolerable taints is better: reverse the counts onto 0..100. */
  normalizeScore(_s: CycleState, _p: PodInfo, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, true);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', actions: ['Add', 'Update'] }];
  }
}
