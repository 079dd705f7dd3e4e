/**
 * A StatefulSet pod's stable identity (upstream pkg/controller/statefulset/stateful_set_utils.go):
 * name `<set>-<ordinal>`, hostname and subdomain, and one PVC per volumeClaimTemplate named
 * `<claim>-<set>-<ordinal>` that outlives the pod.
 */
import { deepCopy, type KubeObject } from '../../api/object.js';
import { newControllerRef } from '../common/controller-ref.js';
import type { ControllerRevision } from '../history/controller-revision.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  serviceName?: string;
  template?: PodTemplate;
  volumeClaimTemplates?: KubeObject[];
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: 'Retain' | 'Delete'; whenScaled?: 'Retain' | 'Delete' };
  ordinals?: { start?: number };
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: unknown[];
}

export interface StatefulSet extends KubeObject {
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** The ordinal in a member pod's name, or -1 when the name is not `<set>-<n>`. */
export function getOrdinal(set: KubeObject, pod: KubeObject): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export function claimName(claimTemplate: KubeObject, set: KubeObject, ordinal: number): string {
  return `${claimTemplate.metadata.name}-${set.metadata.name}-${ordinal}`;
}

export function podRevision(pod: KubeObject): string | undefined {
  return pod.metadata.labels?.[REVISION_LABEL];
}

/** The template a revision recorded (its data is the rollback patch). */
export function templateOfRevision(rev: ControllerRevision): PodTemplate {
  const data = (rev.data ?? {}) as { spec?: { template?: Record<string, unknown> } };
  const t = deepCopy(data.spec?.template ?? {});
  delete t.$patch;
  return t as PodTemplate;
}

/** The PVCs a pod at `ordinal` needs, keyed by volume name. */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, KubeObject> {
  const claims = new Map<string, KubeObject>();
  for (const tmpl of set.spec.volumeClaimTemplates ?? []) {
    const claim = deepCopy(tmpl);
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      name: claimName(tmpl, set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(tmpl.metadata.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) },
      ...(tmpl.metadata.annotations ? { annotations: { ...tmpl.metadata.annotations } } : {}),
    };
    delete claim.status;
    claims.set(tmpl.metadata.name!, claim);
  }
  return claims;
}

/** The pod for `ordinal` built from the template `revision` recorded. */
export function newStatefulSetPod(set: StatefulSet, revision: ControllerRevision, ordinal: number): KubeObject {
  const template = templateOfRevision(revision);
  const name = podName(set, ordinal);
  const spec = deepCopy(template.spec ?? {}) as { volumes?: { name: string; [k: string]: unknown }[]; hostname?: string; subdomain?: string };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
  updateIdentity(set, pod, ordinal);
  pod.metadata.labels![REVISION_LABEL] = revision.metadata.name!;
  // Claims replace any template volume of the same name, as upstream updateStorage does.
  const claims = claimsFor(set, ordinal);
  const volumes = (spec.volumes ?? []).filter((v) => !claims.has(v.name));
  for (const [volName, claim] of claims) volumes.push({ name: volName, persistentVolumeClaim: { claimName: claim.metadata.name } });
  if (volumes.length) spec.volumes = volumes;
  return pod;
}

/** Sets the identity labels, hostname and subdomain; returns true if anything changed. */
export function updateIdentity(set: StatefulSet, pod: KubeObject, ordinal: number): boolean {
  const spec = (pod.spec ??= {}) as { hostname?: string; subdomain?: string };
  const labels = (pod.metadata.labels ??= {});
  let changed = false;
  const want: Record<string, string> = { [POD_NAME_LABEL]: pod.metadata.name!, [POD_INDEX_LABEL]: String(ordinal) };
  for (const [k, v] of Object.entries(want)) {
    if (labels[k] !== v) {
      labels[k] = v;
      changed = true;
    }
  }
  if (spec.hostname !== pod.metadata.name) {
    spec.hostname = pod.metadata.name;
    changed = true;
  }
  const subdomain = set.spec.serviceName || undefined;
  if (spec.subdomain !== subdomain) {
    if (subdomain) spec.subdomain = subdomain;
    else delete spec.subdomain;
    changed = true;
  }
  return changed;
}
