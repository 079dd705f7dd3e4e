/**
 * The endpoints a Service should have in its EndpointSlices, grouped by the ports they serve
 * (upstream: one endpoint "port map" per group; a slice only ever holds one port list).
 */
import type { KubeObject } from '../../api/object.js';
import { isPodReady } from '../common/pods.js';
import {
  findPort,
  isHeadless,
  podHostname,
  podIP,
  podNodeName,
  podTargetRef,
  selectsPod,
  serviceSpec,
  shouldPodBeInEndpoints,
} from '../endpoints/service-pods.js';
import type { LabelSelector } from '../../api/selectors/label-selector.js';

export interface SlicePort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
}

export interface PortGroup {
  ports: SlicePort[];
  /** By endpointKey. */
  endpoints: Map<string, SliceEndpoint>;
}

export function portsKey(ports: SlicePort[]): string {
  return [...ports]
    .map((p) => `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol}\u0000${p.appProtocol ?? ''}`)
    .sort()
    .join('\u0001');
}

export function endpointKey(e: SliceEndpoint): string {
  return `${e.addresses[0]}\u0000${e.targetRef?.uid ?? ''}`;
}

export function desiredPortGroups(svc: KubeObject, selector: LabelSelector, pods: KubeObject[]): Map<string, PortGroup> {
  const spec = serviceSpec(svc);
  const groups = new Map<string, PortGroup>();
  for (const pod of pods) {
    if (!selectsPod(selector, pod) || !shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podIP(pod)!;
    // This controller only manages the IPv4 address type.
    if (ip.includes(':')) continue;
    const ports: SlicePort[] = [];
    for (const p of spec.ports ?? []) {
      const port = findPort(pod, p);
      if (port === undefined) continue;
      ports.push({ ...(p.name !== undefined ? { name: p.name } : { name: '' }), port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
    }
    if (ports.length === 0 && (spec.ports?.length ?? 0) > 0 && !isHeadless(svc)) continue;
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const serving = isPodReady(pod);
    const endpoint: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready: spec.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
      ...(podHostname(pod, svc) ? { hostname: podHostname(pod, svc) } : {}),
      ...(podNodeName(pod) ? { nodeName: podNodeName(pod) } : {}),
      targetRef: podTargetRef(pod),
    };
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port), endpoints: new Map() }));
    g.endpoints.set(endpointKey(endpoint), endpoint);
  }
  return groups;
}
