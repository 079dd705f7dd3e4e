/**
 * NodeResourcesFit: the pod's requests must fit in what the node has left (cpu, memory,
 * ephemeral-storage, extended resources, pod count). Its score is the LeastAllocated strategy:
 * nodes with more room left (by the non-zero requests of cpu and memory) score higher.
 */
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../framework/framework.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export interface InsufficientResource {
  resource: string;
  reason: string;
  /** The pod asks for more than the node has at all: evicting pods cannot help. */
  unresolvable: boolean;
}

export function fitsRequest(pod: PodInfo, nodeInfo: NodeInfo): InsufficientResource[] {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const req = pod.requests;
  // Fast path without allocations: this runs for every examined node of every pod.
  if (
    nodeInfo.pods.size + 1 <= alloc.allowedPodNumber &&
    !(req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) &&
    !(req.memory > 0 && req.memory > alloc.memory - used.memory) &&
    !(req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) &&
    !req.scalar
  ) {
    return NONE;
  }
  const out: InsufficientResource[] = [];
  if (nodeInfo.pods.size + 1 > alloc.allowedPodNumber) out.push({ resource: 'pods', reason: 'Too many pods', unresolvable: false });
  if (req.isZero()) return out;
  const check = (resource: string, want: number, have: number, inUse: number) => {
    if (want > 0 && want > have - inUse) out.push({ resource, reason: `Insufficient ${resource}`, unresolvable: want > have });
  };
  check('cpu', req.milliCPU, alloc.milliCPU, used.milliCPU);
  check('memory', req.memory, alloc.memory, used.memory);
  check('ephemeral-storage', req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
  if (req.scalar) for (const [name, want] of req.scalar) check(name, want, alloc.scalar?.get(name) ?? 0, used.scalar?.get(name) ?? 0);
  return out;
}

const NONE: InsufficientResource[] = [];

export class NodeResourcesFit implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = PluginNames.NodeResourcesFit;

  filter(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const insufficient = fitsRequest(pod, nodeInfo);
    if (insufficient.length === 0) return Status.success();
    const reasons = insufficient.map((i) => i.reason);
    return insufficient.some((i) => i.unresolvable) ? Status.unresolvable(...reasons) : Status.unschedulable(...reasons);
  }

  /** LeastAllocated over cpu and memory, equal weights. */
  score(_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const alloc = nodeInfo.allocatable;
    const cpu = leastAllocated(nodeInfo.nonZeroRequested.milliCPU + pod.nonZeroRequests.milliCPU, alloc.milliCPU);
    const mem = leastAllocated(nodeInfo.nonZeroRequested.memory + pod.nonZeroRequests.memory, alloc.memory);
    return Math.trunc((cpu + mem) / 2);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Pod', actions: ['Delete', 'Update'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
    ];
  }
}

function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}
