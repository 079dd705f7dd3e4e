/** scheduling.k8s.io/v1 PriorityClasses. */
import { type FieldError, forbidden, invalid, notSupported } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { str } from './json-access.js';

const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const PREEMPTION = ['Never', 'PreemptLowerPriority'];

export function validatePriorityClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: nameIsDNSSubdomain });
  const name = obj.metadata.name ?? '';
  const system = SYSTEM_CLASSES[name];
  if (system !== undefined) {
    if (obj.value !== system) errs.push(invalid('metadata.name', name, `name ${name} is a system priority class name and must have value ${system}`));
  } else {
    if (name.startsWith('system-')) errs.push(invalid('metadata.name', name, "priority class names with 'system-' prefix are reserved"));
    if (typeof obj.value === 'number' && obj.value > HIGHEST_USER_PRIORITY) {
      errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
    }
  }
  const policy = str(obj.preemptionPolicy);
  if (policy && !PREEMPTION.includes(policy)) errs.push(notSupported('preemptionPolicy', policy, PREEMPTION));
  if (old) {
    if (obj.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
    if (obj.preemptionPolicy !== old.preemptionPolicy) errs.push(invalid('preemptionPolicy', obj.preemptionPolicy ?? null, 'field is immutable'));
  }
  return errs;
}
