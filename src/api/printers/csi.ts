/** CSIDrivers, CSINodes, CSIStorageCapacities and VolumeAttachments (storage.k8s.io). */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, quantity, rec, str, strs } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

function boolOr(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn,
    column('AttachRequired', 'boolean', swaggerDoc.CSIDriverSpec.attachRequired),
    column('PodInfoOnMount', 'boolean', swaggerDoc.CSIDriverSpec.podInfoOnMount),
    column('StorageCapacity', 'boolean', swaggerDoc.CSIDriverSpec.storageCapacity),
    column('TokenRequests', 'string', swaggerDoc.CSIDriverSpec.tokenRequests),
    column('RequiresRepublish', 'boolean', swaggerDoc.CSIDriverSpec.requiresRepublish),
    column('Modes', 'string', swaggerDoc.CSIDriverSpec.volumeLifecycleModes),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const tokenRequests = Array.isArray(spec.tokenRequests) ? arr(spec.tokenRequests).map((t) => str(t.audience)).join(',') : '<unset>';
    return [
      obj.metadata.name ?? '',
      boolOr(spec.attachRequired, true),
      boolOr(spec.podInfoOnMount, false),
      boolOr(spec.storageCapacity, false),
      tokenRequests,
      boolOr(spec.requiresRepublish, false),
      strs(spec.volumeLifecycleModes).join(',') || '<none>',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

export const csiNodePrinter: Printer = {
  columns: [nameColumn, column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', arr(rec(obj.spec).drivers).length, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

export const csiStorageCapacityPrinter: Printer = {
  columns: [
    nameColumn,
    column('StorageClassName', 'string', swaggerDoc.CSIStorageCapacity.storageClassName),
    column('Capacity', 'string', swaggerDoc.CSIStorageCapacity.capacity),
  ],
  row(obj) {
    return [obj.metadata.name ?? '', str(obj.storageClassName), quantity(obj.capacity, '<unset>')];
  },
};

export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Attacher', 'string', swaggerDoc.VolumeAttachmentSpec.attacher, 0, 'name'),
    column('PV', 'string', swaggerDoc.VolumeAttachmentSource.persistentVolumeName),
    column('Node', 'string', swaggerDoc.VolumeAttachmentSpec.nodeName),
    column('Attached', 'boolean', swaggerDoc.VolumeAttachmentStatus.attached),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    return [
      obj.metadata.name ?? '',
      str(spec.attacher),
      str(rec(spec.source).persistentVolumeName),
      str(spec.nodeName),
      rec(obj.status).attached === true,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
