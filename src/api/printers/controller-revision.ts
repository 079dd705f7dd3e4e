/** ControllerRevisions: CONTROLLER as `kind.group/name` of the controlling owner, REVISION. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { num } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export function controllerName(owners: { apiVersion: string; kind: string; name: string; controller?: boolean }[] | undefined): string {
  const ref = owners?.find((o) => o.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  if (group === '' && ref.kind === '') return ref.name;
  const groupKind = group === '' ? ref.kind : `${ref.kind}.${group}`;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', swaggerDoc.ControllerRevision.revision),
    ageColumn,
  ],
  row(obj, now) {
    return [
      obj.metadata.name ?? '',
      controllerName(obj.metadata.ownerReferences),
      num(obj.revision),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
