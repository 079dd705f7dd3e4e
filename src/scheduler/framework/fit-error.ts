/**
 * The FailedScheduling message (upstream FitError.Error): "0/N nodes are available:" then the
 * PreFilter message, then "<count> <reason>" pairs sorted as strings, then the PostFilter
 * (preemption) message, each ending with a period.
 */
import type { NodeToStatus } from './interface.js';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod on some node; decides which events requeue it. */
  unschedulablePlugins: Set<string>;
  preFilterMsg?: string;
  postFilterMsg?: string;
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super('no node fits the pod');
  }

  /** The message as it stands now (PostFilter adds to the diagnosis after construction). */
  describe(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  const sorted = reasonHistogram(d.nodeToStatus);
  if (sorted.length) msg += ` ${sorted.join(', ')}.`;
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}

/** "count reason" strings, sorted byte-wise as Go's sort.Strings does ("10 x" before "2 y"). */
export function reasonHistogram(nodeToStatus: NodeToStatus): string[] {
  const counts = new Map<string, number>();
  for (const s of nodeToStatus.statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out = [...counts].map(([r, n]) => `${n} ${r}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
