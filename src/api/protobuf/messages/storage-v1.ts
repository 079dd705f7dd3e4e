/**
 * Protobuf wire facts for k8s.io/api storage/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const storageV1: MessageTable = {
  CSIDriver: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec CSIDriverSpec' },
  CSIDriverList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []CSIDriver' },
  CSIDriverSpec: {
    1: 'attachRequired bool?',
    2: 'podInfoOnMount bool?',
    3: 'volumeLifecycleModes []string',
    4: 'storageCapacity bool?',
    5: 'fsGroupPolicy string?',
    6: 'tokenRequests []TokenRequest',
    7: 'requiresRepublish bool?',
    8: 'seLinuxMount bool?',
  },
  CSINode: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec CSINodeSpec' },
  CSINodeDriver: {
    1: 'name string!',
    2: 'nodeID string!',
    3: 'topologyKeys []string',
    4: 'allocatable VolumeNodeResources',
  },
  CSINodeList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []CSINode' },
  CSINodeSpec: { 1: 'drivers []CSINodeDriver' },
  CSIStorageCapacity: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'nodeTopology meta.v1.LabelSelector',
    3: 'storageClassName string!',
    4: 'capacity quantity',
    5: 'maximumVolumeSize quantity',
  },
  CSIStorageCapacityList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []CSIStorageCapacity' },
  StorageClass: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'provisioner string!',
    3: 'parameters {string}',
    4: 'reclaimPolicy string?',
    5: 'mountOptions []string',
    6: 'allowVolumeExpansion bool?',
    7: 'volumeBindingMode string?',
    8: 'allowedTopologies []core.v1.TopologySelectorTerm',
  },
  StorageClassList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []StorageClass' },
  TokenRequest: { 1: 'audience string!', 2: 'expirationSeconds int64?' },
  VolumeAttachment: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'spec VolumeAttachmentSpec',
    3: 'status VolumeAttachmentStatus',
  },
  VolumeAttachmentList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []VolumeAttachment' },
  VolumeAttachmentSource: {
    1: 'persistentVolumeName string?',
    2: 'inlineVolumeSpec core.v1.PersistentVolumeSpec',
  },
  VolumeAttachmentSpec: { 1: 'attacher string!', 2: 'source VolumeAttachmentSource', 3: 'nodeName string!' },
  VolumeAttachmentStatus: {
    1: 'attached bool!',
    2: 'attachmentMetadata {string}',
    3: 'attachError VolumeError',
    4: 'detachError VolumeError',
  },
  VolumeError: { 1: 'time time', 2: 'message string' },
  VolumeNodeResources: { 1: 'count int32?' },
};
