/**
 * Protobuf wire facts for k8s.io/api node/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const nodeV1: MessageTable = {
  Overhead: { 1: 'podFixed {quantity}' },
  RuntimeClass: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'handler string!',
    3: 'overhead Overhead',
    4: 'scheduling Scheduling',
  },
  RuntimeClassList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []RuntimeClass' },
  Scheduling: { 1: 'nodeSelector {string}', 2: 'tolerations []core.v1.Toleration' },
};
