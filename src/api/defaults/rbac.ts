/** rbac.authorization.k8s.io/v1 defaulting: API groups of roleRef and subjects. */
import type { KubeObject } from '../object.js';
import { existing, items, setDefaultString } from './set-default.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** For RoleBinding and ClusterRoleBinding. */
export function defaultRoleBinding(obj: KubeObject): void {
  const roleRef = existing(obj, 'roleRef');
  if (roleRef) setDefaultString(roleRef, 'apiGroup', RBAC_GROUP);
  for (const subject of items(obj, 'subjects')) {
    if (subject.apiGroup !== undefined && subject.apiGroup !== null && subject.apiGroup !== '') continue;
    if (subject.kind === 'ServiceAccount') subject.apiGroup = '';
    else if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
  }
}
