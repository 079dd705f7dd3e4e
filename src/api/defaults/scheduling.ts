/** scheduling.k8s.io/v1 defaulting. */
import type { KubeObject } from '../object.js';
import { setDefaultString } from './set-default.js';

export function defaultPriorityClass(obj: KubeObject): void {
  setDefaultString(obj, 'preemptionPolicy', 'PreemptLowerPriority');
}
