/** rbac.authorization.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row } from './row.js';
import * as d from '../defaults/rbac.js';
import * as v from '../validation/rbac.js';

const rbac = { group: 'rbac.authorization.k8s.io', version: 'v1' } as const;

export function rbacResources(): ResourceType[] {
  return [
    row({
      ...rbac, plural: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding',
      namespaced: false, generation: false, defaults: d.defaultRoleBinding, validate: v.validateClusterRoleBinding,
    }),
    row({
      ...rbac, plural: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false,
      generation: false, validate: v.validateClusterRole,
    }),
    row({
      ...rbac, plural: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true,
      generation: false, defaults: d.defaultRoleBinding, validate: v.validateRoleBinding,
    }),
    row({
      ...rbac, plural: 'roles', singular: 'role', kind: 'Role', namespaced: true,
      generation: false, validate: v.validateRole,
    }),
  ];
}
