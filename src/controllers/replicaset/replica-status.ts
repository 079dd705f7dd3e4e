/**
 * The status a ReplicaSet/ReplicationController reports (upstream calculateStatus):
 * counts over its active pods, and the ReplicaFailure condition while creates or deletes fail.
 */
import type { KubeObject } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import { rfc3339 } from '../../client/time-format.js';
import { isPodAvailable, isPodReady } from '../common/pods.js';
import { replicaSpec } from './replica-kind.js';

export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

/** A failed manageReplicas pass: which way it was scaling and why it failed. */
export interface ManageFailure {
  scalingUp: boolean;
  error: unknown;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function calculateStatus(rs: KubeObject, activePods: KubeObject[], failure: ManageFailure | undefined, now: number): ReplicaStatus {
  const spec = replicaSpec(rs);
  const templateLabels = spec.template?.metadata?.labels ?? {};
  const minReadySeconds = spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  const old = ((rs.status ?? {}) as ReplicaStatus).conditions ?? [];
  let conditions = old.filter((c) => c.type !== 'ReplicaFailure');
  const existing = old.find((c) => c.type === 'ReplicaFailure');
  if (failure) {
    // The first failure is kept as it was: its time says when the trouble started.
    conditions.push(
      existing ?? {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: rfc3339(now),
        reason: failure.scalingUp ? 'FailedCreate' : 'FailedDelete',
        message: errorMessage(failure.error),
      },
    );
  }
  if (conditions.length === 0) conditions = [];
  const status: ReplicaStatus = { replicas: activePods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
  if (conditions.length) status.conditions = conditions;
  return status;
}

export function statusEqual(a: unknown, b: ReplicaStatus): boolean {
  const x = (a ?? {}) as ReplicaStatus;
  return (
    (x.replicas ?? 0) === b.replicas &&
    (x.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (x.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (x.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    (x.observedGeneration ?? 0) === (b.observedGeneration ?? 0) &&
    deepEqual(x.conditions ?? [], b.conditions ?? [])
  );
}

/** Milliseconds until the next ready pod becomes available, or undefined if none is waiting. */
export function nextAvailableIn(rs: KubeObject, activePods: KubeObject[], now: number): number | undefined {
  const minReadySeconds = replicaSpec(rs).minReadySeconds ?? 0;
  if (minReadySeconds <= 0) return undefined;
  let next: number | undefined;
  for (const pod of activePods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) continue;
    const since = Date.parse(((pod.status as { conditions?: ReplicaCondition[] }).conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
    const wait = Number.isNaN(since) ? minReadySeconds * 1000 : since + minReadySeconds * 1000 - now;
    next = next === undefined ? wait : Math.min(next, wait);
  }
  return next === undefined ? undefined : Math.max(1, next);
}
