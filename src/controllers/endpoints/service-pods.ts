/**
 * What the Endpoints and EndpointSlice controllers share about a Service's pods (upstream
 * pkg/controller/util/endpoint): which pods belong in endpoints and how a Service port's
 * targetPort resolves against a pod's containers.
 */
import type { KubeObject } from '../../api/object.js';
import { matchesLabels, type LabelSelector } from '../../api/selectors/label-selector.js';
import { podPhase } from '../common/pods.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export interface ServiceSpec {
  selector?: Record<string, string>;
  clusterIP?: string;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export function serviceSpec(svc: KubeObject): ServiceSpec {
  return (svc.spec ?? {}) as ServiceSpec;
}

export function isHeadless(svc: KubeObject): boolean {
  return serviceSpec(svc).clusterIP === 'None';
}

/** The Service's selector as requirements, or undefined for selector-less Services. */
export function serviceSelector(svc: KubeObject): LabelSelector | undefined {
  const sel = serviceSpec(svc).selector;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return Object.entries(sel).map(([key, v]) => ({ key, op: 'in' as const, values: [v] }));
}

export function podIP(pod: KubeObject): string | undefined {
  const s = (pod.status ?? {}) as { podIP?: string };
  return s.podIP || undefined;
}

/**
 * Upstream ShouldPodBeInEndpoints: a pod needs an IP, must not be terminal for good, and
 * terminating pods only count when the caller includes them (EndpointSlices do).
 */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const restartPolicy = ((pod.spec ?? {}) as { restartPolicy?: string }).restartPolicy ?? 'Always';
  const phase = podPhase(pod);
  if (restartPolicy === 'Never' && (phase === 'Failed' || phase === 'Succeeded')) return false;
  if (restartPolicy === 'OnFailure' && phase === 'Succeeded') return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return podIP(pod) !== undefined;
}

/**
 * The container port a Service port reaches on this pod (upstream podutil.FindPort): numbers as
 * is, names looked up among the containers' ports with the same protocol; undefined when the
 * pod has no such named port (the pod is then skipped for that port).
 */
export function findPort(pod: KubeObject, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  const containers = ((pod.spec ?? {}) as { containers?: { ports?: ContainerPort[] }[] }).containers ?? [];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

export function selectsPod(selector: LabelSelector, pod: KubeObject): boolean {
  return matchesLabels(selector, pod.metadata.labels);
}

export function podTargetRef(pod: KubeObject): { kind: string; namespace: string; name: string; uid: string } {
  return { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! };
}

export function podNodeName(pod: KubeObject): string | undefined {
  return ((pod.spec ?? {}) as { nodeName?: string }).nodeName || undefined;
}

/** Upstream: a pod's hostname is published only when its subdomain names the (headless) Service. */
export function podHostname(pod: KubeObject, svc: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as { hostname?: string; subdomain?: string };
  return spec.hostname && spec.subdomain === svc.metadata.name ? spec.hostname : undefined;
}
