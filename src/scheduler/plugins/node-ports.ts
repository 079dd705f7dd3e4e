/** NodePorts: a pod's hostPorts must be free on the node. */
import type { ClusterEvent, EnqueueExtensions, FilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

export class NodePorts implements FilterPlugin, EnqueueExtensions {
  readonly name = PluginNames.NodePorts;

  filter(_s: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status {
    for (const hp of pod.hostPorts) if (nodeInfo.portConflicts(hp)) return Status.unschedulable(ERR_REASON_PORTS);
    return Status.success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Pod', actions: ['Delete'] },
      { resource: 'Node', actions: ['Add'] },
    ];
  }
}
