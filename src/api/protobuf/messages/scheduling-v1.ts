/**
 * Protobuf wire facts for k8s.io/api scheduling/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const schedulingV1: MessageTable = {
  PriorityClass: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'value int32',
    3: 'globalDefault bool',
    4: 'description string',
    5: 'preemptionPolicy string?',
  },
  PriorityClassList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []PriorityClass' },
};
