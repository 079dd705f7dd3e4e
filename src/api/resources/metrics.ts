/** metrics.k8s.io/v1beta1: resource usage read from kubelets on request (as metrics-server), never stored. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';

const metrics = { group: 'metrics.k8s.io', version: 'v1beta1', generation: false, verbs: ['get', 'list'] };

export function metricsResources(): ResourceType[] {
  return [
    row({ ...metrics, plural: 'nodes', singular: '', kind: 'NodeMetrics', namespaced: false }),
    row({ ...metrics, plural: 'pods', singular: '', kind: 'PodMetrics', namespaced: true }),
  ];
}
