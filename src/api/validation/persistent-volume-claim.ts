/** PersistentVolumeClaim specs (also StatefulSet claim templates). */
import { type FieldError, invalid, notSupported, required } from '../field-errors.js';
import { parseQuantity } from '../quantity.js';
import { rec, str, type Json } from './json-access.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

export function validateAccessModes(modes: unknown, field: string, requiredDetail: string): FieldError[] {
  const list = Array.isArray(modes) ? modes : [];
  if (list.length === 0) return [required(field, requiredDetail)];
  const errs: FieldError[] = [];
  for (const mode of list) if (!ACCESS_MODES.includes(String(mode))) errs.push(notSupported(field, mode, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) {
    errs.push({ reason: 'FieldValueForbidden', field, message: 'Forbidden: may not use ReadWriteOncePod with other access modes' });
  }
  return errs;
}

export function validatePersistentVolumeClaimSpec(spec: Json, field: string): FieldError[] {
  const errs = validateAccessModes(spec.accessModes, `${field}.accessModes`, 'at least 1 access mode is required');
  const requests = rec(rec(spec.resources)?.requests);
  const storage = requests?.storage;
  if (storage === undefined || storage === null) {
    errs.push(required(`${field}.resources[storage]`));
  } else {
    const parsed = parseQuantity(String(storage));
    if (!parsed.ok) errs.push(invalid(`${field}.resources[storage]`, String(storage), parsed.error));
    else if (parsed.quantity.sign() <= 0) {
      errs.push(invalid(`${field}.resources[storage]`, parsed.quantity.toString(), 'must be greater than zero'));
    }
  }
  const mode = str(spec.volumeMode);
  if (mode && !VOLUME_MODES.includes(mode)) errs.push(notSupported(`${field}.volumeMode`, mode, VOLUME_MODES));
  return errs;
}
