/** ConfigMaps and Secrets (upstream ValidateConfigMap, ValidateSecret and their updates). */
import { type FieldError, forbidden, invalid, required, tooLong } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { isConfigMapKey, nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { rec, str } from './json-access.js';

/** Upstream's MaxSecretSize, which also bounds ConfigMaps. */
export const MAX_SECRET_SIZE = 1024 * 1024;
const meta = { namespaced: true, name: nameIsDNSSubdomain };

function validateKeys(data: Record<string, unknown> | undefined, field: string, errs: FieldError[]): void {
  for (const key of Object.keys(data ?? {})) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`${field}[${key}]`, key, msg));
  }
}

function immutableUpdate(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const data = rec(obj.data);
  const binaryData = rec(obj.binaryData);
  validateKeys(data, 'data', errs);
  validateKeys(binaryData, 'binaryData', errs);
  let size = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    if (binaryData && key in binaryData) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(value ?? ''));
  }
  for (const value of Object.values(binaryData ?? {})) size += Buffer.from(String(value ?? ''), 'base64').length;
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('', MAX_SECRET_SIZE));
  if (old) errs.push(...immutableUpdate(obj, old, ['data', 'binaryData']));
  return errs;
}

/** Keys each typed secret must carry. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const data = { ...(rec(obj.data) ?? {}) };
  const stringData = rec(obj.stringData) ?? {};
  validateKeys(data, 'data', errs);
  validateKeys(stringData, 'stringData', errs);
  let size = 0;
  for (const value of Object.values(data)) size += Buffer.from(String(value ?? ''), 'base64').length;
  for (const [key, value] of Object.entries(stringData)) {
    if (!(key in data)) size += Buffer.byteLength(String(value ?? ''));
    data[key] = value;
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));
  const type = str(obj.type) ?? 'Opaque';
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) errs.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/service-account-token' && !obj.metadata.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(required('data[username]'));
  }
  if (old) {
    if ((str(old.type) ?? 'Opaque') !== type) errs.push(invalid('type', type, 'field is immutable'));
    errs.push(...immutableUpdate(obj, old, ['data']));
  }
  return errs;
}
