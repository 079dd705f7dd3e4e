/** storage.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import * as d from '../defaults/storage.js';
import * as v from '../validation/storage.js';

const storage = { group: 'storage.k8s.io', version: 'v1' } as const;

export function storageResources(): ResourceType[] {
  return [
    row({
      ...storage, plural: 'csidrivers', singular: 'csidriver', kind: 'CSIDriver', namespaced: false,
      generation: false, defaults: d.defaultCSIDriver, validate: v.validateCSIDriver,
    }),
    row({
      ...storage, plural: 'csinodes', singular: 'csinode', kind: 'CSINode', namespaced: false,
      generation: false, validate: v.validateCSINode,
    }),
    row({
      ...storage, plural: 'csistoragecapacities', singular: 'csistoragecapacity', kind: 'CSIStorageCapacity',
      namespaced: true, generation: false, validate: v.validateCSIStorageCapacity,
    }),
    row({
      ...storage, plural: 'storageclasses', singular: 'storageclass', kind: 'StorageClass', namespaced: false,
      shortNames: ['sc'], generation: false, defaults: d.defaultStorageClass, validate: v.validateStorageClass,
    }),
    row({
      ...storage, plural: 'volumeattachments', singular: 'volumeattachment', kind: 'VolumeAttachment', namespaced: false,
      subresources: [statusSubresource('VolumeAttachment')], generation: false, validate: v.validateVolumeAttachment,
    }),
  ];
}
