/** StorageClasses (with `(default)` on the default one) and VolumeAttributesClasses. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { str, strMap } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const DEFAULT_VAC_ANNOTATION = 'volumeattributesclass.alpha.kubernetes.io/is-default-class';

export function isDefaultStorageClass(annotations: unknown): boolean {
  const a = strMap(annotations);
  return DEFAULT_CLASS_ANNOTATIONS.some((k) => a[k] === 'true');
}

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', swaggerDoc.StorageClass.provisioner),
    column('ReclaimPolicy', 'string', swaggerDoc.StorageClass.reclaimPolicy),
    column('VolumeBindingMode', 'string', swaggerDoc.StorageClass.volumeBindingMode),
    column('AllowVolumeExpansion', 'string', swaggerDoc.StorageClass.allowVolumeExpansion),
    ageColumn,
  ],
  row(obj, now) {
    const name = obj.metadata.name ?? '';
    return [
      isDefaultStorageClass(obj.metadata.annotations) ? `${name} (default)` : name,
      str(obj.provisioner),
      typeof obj.reclaimPolicy === 'string' ? obj.reclaimPolicy : 'Delete',
      typeof obj.volumeBindingMode === 'string' ? obj.volumeBindingMode : 'Immediate',
      obj.allowVolumeExpansion === true,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

export const volumeAttributesClassPrinter: Printer = {
  columns: [nameColumn, column('DriverName', 'string', 'Name of the CSI driver This field is immutable.'), ageColumn],
  row(obj, now) {
    const name = obj.metadata.name ?? '';
    const isDefault = strMap(obj.metadata.annotations)[DEFAULT_VAC_ANNOTATION] === 'true';
    return [isDefault ? `${name} (default)` : name, str(obj.driverName), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
