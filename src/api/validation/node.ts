/** node.k8s.io/v1 RuntimeClasses. */
import { type FieldError, invalid, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isDNS1123Label, nameIsDNSSubdomain } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { str } from './json-access.js';

export function validateRuntimeClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: nameIsDNSSubdomain });
  const handler = str(obj.handler) ?? '';
  if (!handler) errs.push(required('handler'));
  else for (const msg of isDNS1123Label(handler)) errs.push(invalid('handler', handler, msg));
  if (old) errs.push(...validateImmutable(obj.handler, old.handler, 'handler'));
  return errs;
}
