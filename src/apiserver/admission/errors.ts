/** Refusals worded like upstream's admission.NewForbidden. */
import { qualifiedResource, StatusError, type StatusCause } from '../../api/status.js';
import type { AdmissionAttributes } from './types.js';

/**
 * `pods "x" is forbidden: <reason>`. Before name generation the object has only a
 * generateName, which upstream uses in its place.
 */
export function admissionForbidden(a: AdmissionAttributes, reason: string, causes?: StatusCause[]): StatusError {
  const meta = a.object?.metadata ?? a.oldObject?.metadata;
  const name = a.name || meta?.name || meta?.generateName || 'Unknown';
  const details = { name, group: a.rt.group || undefined, kind: a.rt.plural, ...(causes ? { causes } : {}) };
  return new StatusError(403, 'Forbidden', `${qualifiedResource(a.rt)} "${name}" is forbidden: ${reason}`, details);
}

/** The one-or-many error text of upstream's utilerrors.NewAggregate. */
export function aggregateMessage(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** Whether the request writes the main resource (not a subresource) of `group`/`plural`. */
export function isResource(a: AdmissionAttributes, group: string, plural: string): boolean {
  return a.rt.group === group && a.rt.plural === plural && !a.subresource;
}
