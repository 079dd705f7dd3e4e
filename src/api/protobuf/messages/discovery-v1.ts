/**
 * Protobuf wire facts for k8s.io/api discovery/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const discoveryV1: MessageTable = {
  Endpoint: {
    1: 'addresses []string',
    2: 'conditions EndpointConditions',
    3: 'hostname string?',
    4: 'targetRef core.v1.ObjectReference',
    5: 'deprecatedTopology {string}',
    6: 'nodeName string?',
    7: 'zone string?',
    8: 'hints EndpointHints',
  },
  EndpointConditions: { 1: 'ready bool?', 2: 'serving bool?', 3: 'terminating bool?' },
  EndpointHints: { 1: 'forZones []ForZone' },
  EndpointPort: { 1: 'name string?', 2: 'protocol string?', 3: 'port int32?', 4: 'appProtocol string?' },
  EndpointSlice: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'endpoints []Endpoint',
    3: 'ports []EndpointPort',
    4: 'addressType string!',
  },
  EndpointSliceList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []EndpointSlice' },
  ForZone: { 1: 'name string' },
};
