/**
 * Pod bodies shared by the workload benchmarks: upstream scheduler_perf's default pod (one
 * pause container, 100m cpu / 500Mi memory requests and limits, one container port).
 */

export interface PodOptions {
  /** Bound already: the scheduler has nothing to do. */
  nodeName?: string;
  /** A scheduler nobody runs leaves the pod Pending and untouched: a create and nothing else. */
  schedulerName?: string;
}

export function podObject(namespace: string, name: string, o: PodOptions = {}): Record<string, unknown> {
  const resources = { cpu: '100m', memory: '500Mi' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench' } },
    spec: {
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }], resources: { requests: resources, limits: resources } }],
    },
  };
}

export function podJson(namespace: string, name: string, o: PodOptions = {}): string {
  return JSON.stringify(podObject(namespace, name, o));
}
