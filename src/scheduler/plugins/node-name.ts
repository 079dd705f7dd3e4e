/** NodeName: a pod that names its node fits only there. */
import type { EnqueueExtensions, FilterPlugin, ClusterEvent } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = PluginNames.NodeName;

  filter(_s: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const want = pod.pod.spec.nodeName;
    if (!want || want === nodeInfo.name) return Status.success();
    return Status.unresolvable(ERR_REASON_NODE_NAME);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', actions: ['Add', 'Update'] }];
  }
}
