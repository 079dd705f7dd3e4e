/** NodeUnschedulable: cordoned nodes take only pods tolerating the unschedulable taint. */
import type { ClusterEvent, EnqueueExtensions, FilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';
import { tolerated } from './taint-match.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = PluginNames.NodeUnschedulable;

  filter(_s: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status {
    if (!nodeInfo.node?.spec?.unschedulable) return Status.success();
    if (tolerated(pod.pod.spec.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' })) return Status.success();
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', actions: ['Add', 'Update'] }];
  }
}
