/** DefaultBinder: assigns the pod by POSTing a Binding to pods/{name}/binding. */
import { Resources } from '../../client/resources.js';
import type { BindPlugin, Handle } from '../framework/interface.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export class DefaultBinder implements BindPlugin {
  readonly name = PluginNames.DefaultBinder;

  constructor(private readonly handle: Pick<Handle, 'client'>) {}

  async bind(_s: unknown, pod: PodInfo, nodeName: string): Promise<Status> {
    const m = pod.pod.metadata;
    try {
      await this.handle.client.createSubresource(Resources.pods, m.namespace, m.name!, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
    } catch (err) {
      return Status.error(err);
    }
    return Status.success();
  }
}
