/** policy/v1 PodDisruptionBudgets. */
import { type FieldError, notSupported } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { validateLabelSelector } from './labels.js';
import { invalidRendered } from './go-format.js';
import { validateIntOrPercent } from './workload.js';
import { rec, str, isSet } from './json-access.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

export function validatePodDisruptionBudget(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNSSubdomain });
  const spec = rec(obj.spec) ?? {};
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable)) {
    errs.push(invalidRendered('spec', 'policy.PodDisruptionBudgetSpec{...}', 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  errs.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = str(spec.unhealthyPodEvictionPolicy);
  if (policy && !EVICTION_POLICIES.includes(policy)) errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  return errs;
}
