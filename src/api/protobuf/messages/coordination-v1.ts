/**
 * Protobuf wire facts for k8s.io/api coordination/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const coordinationV1: MessageTable = {
  Lease: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec LeaseSpec' },
  LeaseList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []Lease' },
  LeaseSpec: {
    1: 'holderIdentity string?',
    2: 'leaseDurationSeconds int32?',
    3: 'acquireTime microtime',
    4: 'renewTime microtime',
    5: 'leaseTransitions int32?',
    6: 'strategy string?',
    7: 'preferredHolder string?',
  },
};
