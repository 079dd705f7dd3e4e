/** Pod states the StatefulSet controller's ordering decisions turn on (upstream stateful_set_utils.go). */
import type { KubeObject } from '../../api/object.js';
import { isPodAvailable, isPodReady, podPhase } from '../common/pods.js';

/** The API has accepted the pod (a phase is set). */
export function isCreated(pod: KubeObject): boolean {
  return ((pod.status ?? {}) as { phase?: string }).phase !== undefined;
}

export function isTerminating(pod: KubeObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

export function isFailed(pod: KubeObject): boolean {
  return podPhase(pod) === 'Failed';
}

export function isSucceeded(pod: KubeObject): boolean {
  return podPhase(pod) === 'Succeeded';
}

export function isRunningAndReady(pod: KubeObject): boolean {
  return podPhase(pod) === 'Running' && isPodReady(pod);
}

export function isRunningAndAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  return podPhase(pod) === 'Running' && isPodAvailable(pod, minReadySeconds, now);
}

/** Running, available, and not on its way out: the bar an ordered rollout waits for. */
export function isHealthy(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  return isRunningAndAvailable(pod, minReadySeconds, now) && !isTerminating(pod);
}
