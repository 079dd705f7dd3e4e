/**
 * The pod a DaemonSet runs on one node (upstream pkg/controller/daemon/util): the template with
 * the daemon tolerations added, and a required node affinity pinning `metadata.name` so the
 * scheduler binds it to exactly that node.
 */
import { deepCopy, type KubeObject } from '../../api/object.js';
import { newControllerRef } from '../common/controller-ref.js';
import type { PodSpecForPlacement, Toleration } from './node-eligibility.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** Taints daemon pods tolerate so that node conditions never evict or block them (upstream AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const list: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) list.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return list;
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

/** The template's pod spec with the daemon tolerations merged in (template tolerations win). */
export function daemonPodSpec(template: { spec?: Record<string, unknown> } | undefined): PodSpecForPlacement & Record<string, unknown> {
  const spec = deepCopy(template?.spec ?? {}) as PodSpecForPlacement & Record<string, unknown> & { hostNetwork?: boolean };
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(spec.hostNetwork === true)) {
    if (!tolerations.some((x) => sameToleration(x, t))) tolerations.push(t);
  }
  spec.tolerations = tolerations;
  return spec;
}

/** Upstream replaces any required node selector terms with a single `metadata.name In [node]` field match. */
export function pinToNode(spec: PodSpecForPlacement, nodeName: string): void {
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
}

/** The node a daemon pod is on or is pinned to (upstream GetTargetNodeName). */
export function targetNodeName(pod: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as PodSpecForPlacement;
  if (spec.nodeName) return spec.nodeName;
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

export function newDaemonPod(ds: KubeObject, nodeName: string, hash: string): KubeObject {
  const template = (ds.spec as { template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> } }).template;
  const spec = daemonPodSpec(template);
  pinToNode(spec, nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(template?.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
    },
    spec,
  };
}
