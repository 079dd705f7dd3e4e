/**
 * Protobuf wire facts for k8s.io/api events/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const eventsV1: MessageTable = {
  Event: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'eventTime microtime',
    3: 'series EventSeries',
    4: 'reportingController string',
    5: 'reportingInstance string',
    6: 'action string',
    7: 'reason string',
    8: 'regarding core.v1.ObjectReference',
    9: 'related core.v1.ObjectReference',
    10: 'note string',
    11: 'type string',
    12: 'deprecatedSource core.v1.EventSource',
    13: 'deprecatedFirstTimestamp time',
    14: 'deprecatedLastTimestamp time',
    15: 'deprecatedCount int32',
  },
  EventList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []Event' },
  EventSeries: { 1: 'count int32', 2: 'lastObservedTime microtime' },
};
