/**
 * Priority (upstream plugin/pkg/admission/priority): a new pod's priorityClassName (or the
 * global default class) becomes spec.priority and spec.preemptionPolicy; an unknown class is
 * refused. Only one PriorityClass may be the global default.
 */
import type { KubeObject } from '../../api/object.js';
import { admissionForbidden, isResource } from './errors.js';
import { CachedReader, PRIORITY_CLASSES } from './lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

interface PodSpec {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

const PREEMPT_LOWER = 'PreemptLowerPriority';

/** Built into every cluster (upstream creates them at apiserver start). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

/** With several global defaults (a race between creates), the lowest value wins. */
export function globalDefaultClass(classes: PriorityClass[]): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || (pc.value ?? 0) < (best.value ?? 0))) best = pc;
  return best;
}

export function priorityPlugin(reader: CachedReader): AdmissionPlugin {
  return {
    name: 'Priority',
    async admit(a: AdmissionAttributes) {
      if (a.operation !== 'CREATE' || !isResource(a, '', 'pods') || !a.object) return;
      const spec = (a.object.spec ??= {}) as PodSpec;
      let value = 0;
      let policy = PREEMPT_LOWER;
      if (!spec.priorityClassName) {
        const pc = globalDefaultClass((await reader.list(PRIORITY_CLASSES)) as PriorityClass[]);
        if (pc) {
          spec.priorityClassName = pc.metadata.name;
          value = pc.value ?? 0;
          policy = pc.preemptionPolicy ?? PREEMPT_LOWER;
        }
      } else {
        const pc = (await reader.get(PRIORITY_CLASSES, undefined, spec.priorityClassName, { fresh: true })) as PriorityClass | undefined;
        if (pc) {
          value = pc.value ?? 0;
          policy = pc.preemptionPolicy ?? PREEMPT_LOWER;
        } else if (spec.priorityClassName in SYSTEM_PRIORITY_CLASSES) {
          value = SYSTEM_PRIORITY_CLASSES[spec.priorityClassName];
        } else {
          throw admissionForbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
        }
      }
      if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
        throw admissionForbidden(a, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
      }
      spec.priority = value;
      if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
        throw admissionForbidden(a, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec.preemptionPolicy = policy;
    },
    async validate(a: AdmissionAttributes) {
      if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !isResource(a, 'scheduling.k8s.io', 'priorityclasses') || !a.object) return;
      const pc = a.object as PriorityClass;
      if (!pc.globalDefault) return;
      const other = ((await reader.list(PRIORITY_CLASSES)) as PriorityClass[]).find((o) => o.globalDefault && o.metadata.name !== pc.metadata.name);
      if (other) throw admissionForbidden(a, `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`);
    },
  };
}
