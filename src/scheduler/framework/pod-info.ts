/**
 * A pod with what plugins need from it computed once: requests, host ports, parsed affinity
 * terms and its effective priority.
 */
import { fromLabelSelectorObject, matchesLabels, type LabelSelector } from '../../api/selectors/label-selector.js';
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from './api-types.js';
import { podRequests, type Resource } from './resource.js';

export interface AffinityTerm {
  /** Namespaces the term applies to; undefined when a namespace selector decides. */
  namespaces: Set<string> | undefined;
  /** Set when the term selects namespaces by label; an empty selector matches all. */
  namespaceSelector: LabelSelector | undefined;
  selector: LabelSelector;
  topologyKey: string;
  weight: number;
}

export interface HostPort {
  protocol: string;
  ip: string;
  port: number;
}

/** Looks up a namespace's labels (for namespaceSelector terms). */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

export class PodInfo {
  readonly key: string;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: HostPort[];
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: AffinityTerm[];
  readonly preferredAntiAffinityTerms: AffinityTerm[];

  constructor(
    readonly pod: Pod,
    readonly priority: number = pod.spec.priority ?? 0,
  ) {
    this.key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.requests = podRequests(pod);
    this.nonZeroRequests = podRequests(pod, true);
    this.hostPorts = hostPortsOf(pod);
    const ns = pod.metadata.namespace ?? 'default';
    const a = pod.spec.affinity;
    this.requiredAffinityTerms = (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(t, ns, pod, 1));
    this.requiredAntiAffinityTerms = (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(t, ns, pod, 1));
    this.preferredAffinityTerms = parseWeighted(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, ns, pod);
    this.preferredAntiAffinityTerms = parseWeighted(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, ns, pod);
  }

  /** The same pod assumed onto `nodeName`, sharing the computed facts. */
  assumedOn(nodeName: string): PodInfo {
    const pod: Pod = { ...this.pod, spec: { ...this.pod.spec, nodeName } };
    return Object.assign(Object.create(PodInfo.prototype) as PodInfo, this, { pod });
  }

  get hasAffinity(): boolean {
    return !!this.pod.spec.affinity?.podAffinity || !!this.pod.spec.affinity?.podAntiAffinity;
  }
}

function parseWeighted(terms: WeightedPodAffinityTerm[] | undefined, ns: string, pod: Pod): AffinityTerm[] {
  return (terms ?? []).map((w) => parseTerm(w.podAffinityTerm, ns, pod, w.weight));
}

function parseTerm(t: PodAffinityTerm, ns: string, pod: Pod, weight: number): AffinityTerm {
  let selector: LabelSelector;
  try {
    selector = t.labelSelector ? fromLabelSelectorObject(t.labelSelector) : [{ key: '', op: 'in', values: [] }];
  } catch {
    selector = [{ key: '', op: 'in', values: [] }];
  }
  // matchLabelKeys/mismatchLabelKeys narrow the selector with the incoming pod's own values.
  const labels = pod.metadata.labels ?? {};
  for (const k of t.matchLabelKeys ?? []) if (k in labels) selector = [...selector, { key: k, op: 'in', values: [labels[k]!] }];
  for (const k of t.mismatchLabelKeys ?? []) if (k in labels) selector = [...selector, { key: k, op: 'notin', values: [labels[k]!] }];
  let namespaceSelector: LabelSelector | undefined;
  if (t.namespaceSelector) {
    try {
      namespaceSelector = fromLabelSelectorObject(t.namespaceSelector);
    } catch {
      namespaceSelector = [{ key: '', op: 'in', values: [] }];
    }
  }
  let namespaces: Set<string> | undefined = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(ns);
  if (namespaces.size === 0) namespaces = undefined;
  return { namespaces, namespaceSelector, selector, topologyKey: t.topologyKey, weight };
}

/** Whether `pod` is selected by `term` (namespace and labels). */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  let nsOk = term.namespaces?.has(ns) ?? false;
  if (!nsOk && term.namespaceSelector) nsOk = matchesLabels(term.namespaceSelector, nsLabels(ns) ?? {});
  return nsOk && matchesLabels(term.selector, pod.metadata.labels);
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec.containers ?? [])];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol ?? 'TCP', ip: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  }
  return out;
}
