/**
 * NodeRestriction admission (upstream plugin/pkg/admission/noderestriction): a node may write
 * only its own Node, Lease and CSINode, only the pods bound to it (and create only mirror
 * pods), and may not give itself labels reserved for administrators.
 */
import type { KubeObject } from '../../api/object.js';
import { StatusError } from '../../api/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission/types.js';
import { nodeNameOf } from './node-identity.js';
import { NODE_LEASE_NAMESPACE } from './node-authorizer.js';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const ALLOWED_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'node.kubernetes.io/instance-type',
  'node.kubernetes.io/windows-build',
]);
const ALLOWED_LABEL_PREFIXES = ['kubelet.kubernetes.io/', 'node.kubernetes.io/'];

function forbidden(a: AdmissionAttributes, message: string): StatusError {
  const qualified = a.rt.group ? `${a.rt.plural}.${a.rt.group}` : a.rt.plural;
  return new StatusError(403, 'Forbidden', `${qualified} "${a.name ?? ''}" is forbidden: ${message}`, { name: a.name, group: a.rt.group || undefined, kind: a.rt.plural });
}

/** Labels in the kubernetes.io / k8s.io namespaces that a kubelet may not set on itself. */
export function forbiddenNodeLabel(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  if (domain === 'node-restriction.kubernetes.io' || domain.endsWith('.node-restriction.kubernetes.io')) return true;
  const reserved = domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io') || domain === 'k8s.io' || domain.endsWith('.k8s.io');
  if (!reserved) return false;
  return !ALLOWED_LABELS.has(key) && !ALLOWED_LABEL_PREFIXES.some((p) => key.startsWith(p));
}

function changedForbiddenLabels(obj: KubeObject | undefined, old: KubeObject | undefined): string[] {
  const now = obj?.metadata.labels ?? {};
  const before = old?.metadata.labels ?? {};
  const keys = new Set([...Object.keys(now), ...Object.keys(before)]);
  return [...keys].filter((k) => now[k] !== before[k] && forbiddenNodeLabel(k)).sort();
}

const nodeOfPod = (p: KubeObject | undefined) => (p?.spec as { nodeName?: string } | undefined)?.nodeName;

function admitPod(a: AdmissionAttributes, node: string): void {
  const sub = a.subresource ?? '';
  if (sub === '' && a.operation === 'CREATE') {
    const pod = a.object!;
    if (!pod.metadata.annotations?.[MIRROR_ANNOTATION]) throw forbidden(a, `pod does not have "${MIRROR_ANNOTATION}" annotation, node "${node}" can only create mirror pods`);
    if (nodeOfPod(pod) !== node) throw forbidden(a, `node "${node}" can only create pods with spec.nodeName set to itself`);
    const spec = (pod.spec ?? {}) as Record<string, unknown>;
    if (Array.isArray(spec.volumes) && spec.volumes.some((v) => v && typeof v === 'object' && ('secret' in v || 'configMap' in v || 'persistentVolumeClaim' in v || 'projected' in v))) {
      throw forbidden(a, `node "${node}" can not create pods that reference secrets, configmaps, persistentvolumeclaims or projected volumes`);
    }
    return;
  }
  const target = a.oldObject ?? a.object;
  if (sub === '' && a.operation === 'DELETE') {
    if (nodeOfPod(target) !== node) throw forbidden(a, `node "${node}" can only delete pods with spec.nodeName set to itself`);
    return;
  }
  if (sub === 'status') {
    if (nodeOfPod(a.oldObject) !== node) throw forbidden(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
    return;
  }
  if (sub === 'eviction') {
    if (target && nodeOfPod(target) !== node) throw forbidden(a, `node "${node}" can only evict pods with spec.nodeName set to itself`);
    return;
  }
  if (sub === '' && a.operation === 'UPDATE') {
    if (nodeOfPod(a.oldObject) !== node) throw forbidden(a, `node "${node}" can only update pods with spec.nodeName set to itself`);
    return;
  }
  throw forbidden(a, `unexpected operation ${a.operation}, subresource ${sub}`);
}

function admitNode(a: AdmissionAttributes, node: string): void {
  const name = a.name ?? a.object?.metadata.name ?? '';
  if (name !== node) throw forbidden(a, `node "${node}" is not allowed to modify node "${name}"`);
  if (a.operation === 'DELETE') return;
  const labels = changedForbiddenLabels(a.object, a.operation === 'UPDATE' ? a.oldObject : undefined);
  if (labels.length) throw forbidden(a, `node "${node}" is not allowed to modify labels: ${labels.join(', ')}`);
  if (a.operation === 'UPDATE' && a.subresource !== 'status') {
    const taints = (o: KubeObject | undefined) => JSON.stringify((o?.spec as { taints?: unknown } | undefined)?.taints ?? []);
    if (taints(a.object) !== taints(a.oldObject)) throw forbidden(a, `node "${node}" is not allowed to modify taints`);
  }
}

export function nodeRestrictionPlugin(): AdmissionPlugin {
  return {
    name: 'NodeRestriction',
    validate(a: AdmissionAttributes): void {
      const node = nodeNameOf(a.user);
      if (!node) return;
      const { group, plural } = a.rt;
      if (group === '' && plural === 'pods') return admitPod(a, node);
      if (group === '' && plural === 'nodes') return admitNode(a, node);
      if (group === 'coordination.k8s.io' && plural === 'leases' && a.namespace === NODE_LEASE_NAMESPACE) {
        if ((a.name ?? a.object?.metadata.name) !== node) throw forbidden(a, 'can only access node lease with the same name as the requesting node');
      }
      if (group === 'storage.k8s.io' && plural === 'csinodes' && (a.name ?? a.object?.metadata.name) !== node) {
        throw forbidden(a, 'can only access CSINode with the same name as the requesting node');
      }
    },
  };
}
