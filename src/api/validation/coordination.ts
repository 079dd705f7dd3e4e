/** coordination.k8s.io/v1 Leases. */
import { type FieldError, invalid } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { nonNegative } from './workload.js';
import { rec, isSet } from './json-access.js';

export function validateLease(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNSSubdomain });
  const spec = rec(obj.spec) ?? {};
  const duration = spec.leaseDurationSeconds;
  if (isSet(duration) && !(typeof duration === 'number' && duration > 0)) {
    errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  errs.push(...nonNegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  return errs;
}
