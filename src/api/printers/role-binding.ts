/** RoleBindings and ClusterRoleBindings: ROLE as Kind/name; wide USERS GROUPS SERVICEACCOUNTS. */
import type { Printer, TableColumn } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, rec, str } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

/** Upstream's SubjectsStrings: service accounts print as namespace/name. */
export function subjectCells(subjects: unknown): [users: string, groups: string, serviceAccounts: string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of arr(subjects)) {
    if (s.kind === 'ServiceAccount') serviceAccounts.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingPrinter(kind: 'roleBinding' | 'clusterRoleBinding'): Printer {
  const roleDoc = kind === 'roleBinding' ? swaggerDoc.RoleBinding.roleRef : swaggerDoc.ClusterRoleBinding.roleRef;
  const columns: TableColumn[] = [
    nameColumn,
    column('Role', 'string', roleDoc),
    ageColumn,
    column('Users', 'string', `Users in the ${kind}`, 1),
    column('Groups', 'string', `Groups in the ${kind}`, 1),
    column('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, 1),
  ];
  return {
    columns,
    row(obj, now) {
      const ref = rec(obj.roleRef);
      return [
        obj.metadata.name ?? '',
        `${str(ref.kind)}/${str(ref.name)}`,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        ...subjectCells(obj.subjects),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
