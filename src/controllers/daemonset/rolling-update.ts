/**
 * One step of a DaemonSet RollingUpdate (upstream pkg/controller/daemon/update.go rollingUpdate):
 * without surge, old pods are deleted while no more than maxUnavailable nodes lack an available
 * daemon pod; with surge, new pods start beside old ones on up to maxSurge nodes and an old pod
 * goes once its replacement is available. Pure: the controller carries out the plan.
 */
import type { KubeObject } from '../../api/object.js';
import { REVISION_HASH_LABEL } from './daemon-pod.js';

export interface RollingUpdatePlan {
  deletePods: KubeObject[];
  createOnNodes: string[];
}

/** An int, or a percentage of `total` rounded up (intstr.GetScaledValueFromIntOrPercent). */
export function scaledValue(v: number | string | undefined, total: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : fallback;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** maxSurge and maxUnavailable against the desired node count; both zero means one unavailable. */
export function desiredCounts(rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string } | undefined, desired: number): { maxSurge: number; maxUnavailable: number } {
  const maxSurge = scaledValue(rollingUpdate?.maxSurge, desired, 0);
  let maxUnavailable = scaledValue(rollingUpdate?.maxUnavailable, desired, 1);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function isPodUpdated(pod: KubeObject, hash: string): boolean {
  return pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
}

/** The one new and one old pod on a node; ok is false when a node has duplicates to sort out first. */
export function updatedPodsOnNode(pods: KubeObject[], hash: string): { newPod?: KubeObject; oldPod?: KubeObject; ok: boolean } {
  let newPod: KubeObject | undefined;
  let oldPod: KubeObject | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

export function planRollingUpdate(opts: {
  nodeToPods: Map<string, KubeObject[]>;
  hash: string;
  maxSurge: number;
  maxUnavailable: number;
  isAvailable: (pod: KubeObject) => boolean;
}): RollingUpdatePlan {
  const { nodeToPods, hash, isAvailable } = opts;
  const nodes = [...nodeToPods.keys()].sort();
  if (opts.maxSurge === 0) {
    let unavailable = 0;
    const replaceFreely: KubeObject[] = [];
    const candidates: KubeObject[] = [];
    for (const node of nodes) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(nodeToPods.get(node)!, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        // The manage loop creates or deletes here; count the node as unavailable meanwhile.
        unavailable++;
        continue;
      }
      if (newPod) {
        if (!isAvailable(newPod)) unavailable++;
        continue;
      }
      if (!isAvailable(oldPod!)) replaceFreely.push(oldPod!);
      else if (unavailable < opts.maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, opts.maxUnavailable - unavailable), candidates.length);
    return { deletePods: [...replaceFreely, ...candidates.slice(0, remaining)], createOnNodes: [] };
  }
  let surging = 0;
  const deletePods: KubeObject[] = [];
  const replaceFreely: string[] = [];
  const candidates: string[] = [];
  for (const node of nodes) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(nodeToPods.get(node)!, hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!isAvailable(oldPod)) replaceFreely.push(node);
      else if (surging < opts.maxSurge) candidates.push(node);
      continue;
    }
    if (!isAvailable(newPod)) {
      surging++;
      continue;
    }
    deletePods.push(oldPod);
  }
  const remaining = Math.min(Math.max(0, opts.maxSurge - surging), candidates.length);
  return { deletePods, createOnNodes: [...replaceFreely, ...candidates.slice(0, remaining)] };
}
