/**
 * A pod's priority. The API server's Priority admission plugin normally resolves
 * priorityClassName into spec.priority at creation; where it has not (skiff's server does not
 * run that admission yet), the scheduler resolves it from PriorityClasses the same way:
 * the named class, else the global default class, else 0.
 */
import type { KubeObject } from '../api/object.js';
import type { Indexer } from '../client/informer.js';
import type { Pod } from './framework/api-types.js';

export const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

export function resolvePriority(pod: Pod, classes: Indexer<KubeObject>): number {
  if (typeof pod.spec.priority === 'number') return pod.spec.priority;
  const name = pod.spec.priorityClassName;
  if (name) {
    const pc = classes.getByName(undefined, name) as PriorityClass | undefined;
    if (pc && typeof pc.value === 'number') return pc.value;
    return SYSTEM_PRIORITIES[name] ?? 0;
  }
  for (const o of classes.list()) {
    const pc = o as PriorityClass;
    if (pc.globalDefault && typeof pc.value === 'number') return pc.value;
  }
  return 0;
}
