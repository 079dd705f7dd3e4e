/**
 * Protobuf wire facts for k8s.io/api policy/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const policyV1: MessageTable = {
  Eviction: { 1: 'metadata meta.v1.ObjectMeta', 2: 'deleteOptions meta.v1.DeleteOptions' },
  PodDisruptionBudget: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'spec PodDisruptionBudgetSpec',
    3: 'status PodDisruptionBudgetStatus',
  },
  PodDisruptionBudgetList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []PodDisruptionBudget' },
  PodDisruptionBudgetSpec: {
    1: 'minAvailable intorstring',
    2: 'selector meta.v1.LabelSelector',
    3: 'maxUnavailable intorstring',
    4: 'unhealthyPodEvictionPolicy string?',
  },
  PodDisruptionBudgetStatus: {
    1: 'observedGeneration int64',
    2: 'disruptedPods {time}',
    3: 'disruptionsAllowed int32!',
    4: 'currentHealthy int32!',
    5: 'desiredHealthy int32!',
    6: 'expectedPods int32!',
    7: 'conditions []meta.v1.Condition',
  },
};
