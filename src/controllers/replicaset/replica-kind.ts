/**
 * What differs between ReplicaSet (apps/v1) and ReplicationController (core/v1): the resource,
 * the event source and the selector shape. Upstream runs the RC through the ReplicaSet code
 * the same way (pkg/controller/replication converts RCs to RSs).
 */
import type { KubeObject } from '../../api/object.js';
import { fromLabelSelectorObject, type LabelSelector, type LabelSelectorObject } from '../../api/selectors/label-selector.js';
import { Resources, type ResourceRef } from '../../client/resources.js';

export interface ReplicaKind {
  /** Controller name and event source component, as upstream's. */
  component: string;
  resource: ResourceRef;
  apiVersion: string;
  kind: string;
  /** The selector, or undefined when the object has none (it then manages nothing). */
  selector(obj: KubeObject): LabelSelector | undefined;
}

export interface ReplicaSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: unknown;
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
}

export function replicaSpec(obj: KubeObject): ReplicaSpec {
  return (obj.spec ?? {}) as ReplicaSpec;
}

/** spec.replicas with the API default of 1. */
export function desiredReplicas(obj: KubeObject): number {
  return replicaSpec(obj).replicas ?? 1;
}

export const replicaSetKind: ReplicaKind = {
  component: 'replicaset-controller',
  resource: Resources.replicasets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selector(obj) {
    const sel = replicaSpec(obj).selector as LabelSelectorObject | undefined;
    if (!sel) return undefined;
    const reqs = fromLabelSelectorObject(sel);
    // An empty selector would match every pod; upstream refuses to act on it.
    return reqs.length === 0 ? undefined : reqs;
  },
};

export const replicationControllerKind: ReplicaKind = {
  component: 'replication-controller',
  resource: Resources.replicationcontrollers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selector(obj) {
    // An RC selector is a plain label map; the API defaults it to the template labels.
    const spec = replicaSpec(obj);
    const labels = (spec.selector as Record<string, string> | undefined) ?? spec.template?.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return undefined;
    return fromLabelSelectorObject({ matchLabels: labels });
  },
};
