/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal
 * proportion after placing the pod (score = (1 − standard deviation of the fractions) × 100).
 */
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../framework/framework.js';
import type { PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.NodeResourcesBalancedAllocation;

  /** A pod requesting nothing cannot unbalance anything. */
  preScore(_s: CycleState, pod: PodInfo): Status {
    return pod.requests.milliCPU === 0 && pod.requests.memory === 0 ? new Status('Skip') : Status.success();
  }

  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const alloc = nodeInfo.allocatable;
    const fractions: number[] = [];
    if (alloc.milliCPU > 0) fractions.push(Math.min(1, (nodeInfo.requested.milliCPU + pod.requests.milliCPU) / alloc.milliCPU));
    if (alloc.memory > 0) fractions.push(Math.min(1, (nodeInfo.requested.memory + pod.requests.memory) / alloc.memory));
    let std = 0;
    if (fractions.length === 2) std = Math.abs(fractions[0]! - fractions[1]!) / 2;
    else if (fractions.length > 2) {
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}
