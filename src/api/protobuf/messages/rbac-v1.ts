/**
 * Protobuf wire facts for k8s.io/api rbac/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const rbacV1: MessageTable = {
  AggregationRule: { 1: 'clusterRoleSelectors []meta.v1.LabelSelector' },
  ClusterRole: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'rules []PolicyRule',
    3: 'aggregationRule AggregationRule',
  },
  ClusterRoleBinding: { 1: 'metadata meta.v1.ObjectMeta', 2: 'subjects []Subject', 3: 'roleRef RoleRef' },
  ClusterRoleBindingList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []ClusterRoleBinding' },
  ClusterRoleList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []ClusterRole' },
  PolicyRule: {
    1: 'verbs []string',
    2: 'apiGroups []string',
    3: 'resources []string',
    4: 'resourceNames []string',
    5: 'nonResourceURLs []string',
  },
  Role: { 1: 'metadata meta.v1.ObjectMeta', 2: 'rules []PolicyRule' },
  RoleBinding: { 1: 'metadata meta.v1.ObjectMeta', 2: 'subjects []Subject', 3: 'roleRef RoleRef' },
  RoleBindingList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []RoleBinding' },
  RoleList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []Role' },
  RoleRef: { 1: 'apiGroup string!', 2: 'kind string!', 3: 'name string!' },
  Subject: { 1: 'kind string!', 2: 'apiGroup string', 3: 'name string!', 4: 'namespace string' },
};
