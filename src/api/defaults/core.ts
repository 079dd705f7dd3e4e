/** Defaulting for the remaining core/v1 kinds (upstream pkg/apis/core/v1/defaults.go). */
import type { KubeObject } from '../object.js';
import { child, existing, items, isUnset, setDefault, setDefaultString } from './set-default.js';
import { defaultPodTemplateSpec } from './pod.js';
import { defaultPersistentVolumeClaimSpec } from './pvc.js';

/**
 * Labels the namespace with its own name (kubernetes.io/metadata.name) and sets phase Active.
 * NOTE: upstream adds the `kubernetes` finalizer in the create strategy, not in defaulting;
 * here it is added only to objects not yet stored (no resourceVersion), so that defaulting an
 * update never re-adds a finalizer the namespace controller has removed.
 */
export function defaultNamespace(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (name) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  }
  const status = child(obj, 'status');
  if (status) setDefaultString(status, 'phase', 'Active');
  if (!obj.metadata?.resourceVersion) {
    const spec = child(obj, 'spec');
    if (spec) {
      const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
      if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
    }
  }
}

/** Allocatable defaults to capacity. */
export function defaultNode(obj: KubeObject): void {
  const status = existing(obj, 'status');
  if (status && isUnset(status.allocatable) && !isUnset(status.capacity)) {
    status.allocatable = structuredClone(status.capacity);
  }
}

export function defaultSecret(obj: KubeObject): void {
  setDefaultString(obj, 'type', 'Opaque');
}

export function defaultEndpoints(obj: KubeObject): void {
  for (const subset of items(obj, 'subsets')) {
    for (const port of items(subset, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  }
}

export function defaultPersistentVolume(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (spec) {
    setDefaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefaultString(spec, 'volumeMode', 'Filesystem');
    const hostPath = existing(spec, 'hostPath');
    if (hostPath) setDefault(hostPath, 'type', '');
  }
  const status = child(obj, 'status');
  if (status) setDefaultString(status, 'phase', 'Pending');
}

export function defaultPersistentVolumeClaim(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (spec) defaultPersistentVolumeClaimSpec(spec);
  const status = child(obj, 'status');
  if (status) setDefaultString(status, 'phase', 'Pending');
}

export function defaultPodTemplate(obj: KubeObject): void {
  defaultPodTemplateSpec(existing(obj, 'template'));
}

/** Selector and labels default to the template's labels; replicas to 1. */
export function defaultReplicationController(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  const template = existing(spec, 'template');
  const templateLabels = existing(existing(template, 'metadata'), 'labels');
  if (templateLabels && Object.keys(templateLabels).length > 0) {
    const selector = existing(spec, 'selector');
    if (!selector || Object.keys(selector).length === 0) spec.selector = { ...templateLabels };
    if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) {
      obj.metadata.labels = { ...(templateLabels as Record<string, string>) };
    }
  }
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(template);
}

/**
 * For Container limits: a missing default limit comes from max, a missing default request
 * from the default limit, then from min.
 */
export function defaultLimitRange(obj: KubeObject): void {
  for (const limit of items(existing(obj, 'spec'), 'limits')) {
    if (limit.type !== 'Container') continue;
    const def = child(limit, 'default');
    const defaultRequest = child(limit, 'defaultRequest');
    if (!def || !defaultRequest) continue;
    for (const [name, q] of Object.entries(existing(limit, 'max') ?? {})) if (isUnset(def[name])) def[name] = q;
    for (const [name, q] of Object.entries(def)) if (isUnset(defaultRequest[name])) defaultRequest[name] = q;
    for (const [name, q] of Object.entries(existing(limit, 'min') ?? {})) {
      if (isUnset(defaultRequest[name])) defaultRequest[name] = q;
    }
  }
}
