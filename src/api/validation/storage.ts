/** storage.k8s.io/v1. */
import { type FieldError, forbidden, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { validateQuantity } from './resource-requirements.js';
import { rec, str, isSet } from './json-access.js';

const cluster = { namespaced: false, name: nameIsDNSSubdomain };
const RECLAIM = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, cluster);
  if (!str(obj.provisioner)) errs.push(required('provisioner'));
  const reclaim = str(obj.reclaimPolicy);
  if (reclaim && !RECLAIM.includes(reclaim)) errs.push(notSupported('reclaimPolicy', reclaim, RECLAIM));
  const mode = str(obj.volumeBindingMode);
  if (mode && !BINDING_MODES.includes(mode)) errs.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  if (old) {
    for (const key of ['parameters', 'provisioner', 'reclaimPolicy']) {
      if (!deepEqual(obj[key], old[key])) errs.push(forbidden(key, `updates to ${key} are forbidden.`));
    }
    errs.push(...validateImmutable(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  }
  return errs;
}

export function validateCSIDriver(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, cluster);
  if (old) {
    const spec = rec(obj.spec) ?? {};
    const oldSpec = rec(old.spec) ?? {};
    for (const key of ['attachRequired', 'podInfoOnMount', 'volumeLifecycleModes', 'fsGroupPolicy']) {
      errs.push(...validateImmutable(spec[key], oldSpec[key], `spec.${key}`));
    }
  }
  return errs;
}

export function validateCSINode(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateMeta(obj, old, cluster);
}

export function validateCSIStorageCapacity(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNSSubdomain });
  if (!str(obj.storageClassName)) errs.push(required('storageClassName'));
  if (isSet(obj.capacity)) validateQuantity(obj.capacity, 'capacity', errs);
  return errs;
}

export function validateVolumeAttachment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, cluster);
  const spec = rec(obj.spec) ?? {};
  if (!str(spec.attacher)) errs.push(required('spec.attacher'));
  if (!str(spec.nodeName)) errs.push(required('spec.nodeName'));
  const source = rec(spec.source) ?? {};
  const count = ['persistentVolumeName', 'inlineVolumeSpec'].filter((k) => isSet(source[k])).length;
  if (count !== 1) errs.push(required('spec.source', 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  if (old) errs.push(...validateImmutable(obj.spec, old.spec, 'spec'));
  return errs;
}
