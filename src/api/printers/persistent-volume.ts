/** PersistentVolumes and PersistentVolumeClaims. */
import type { Printer } from '../resource-type.js';
import { accessModesString } from './access-modes.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { quantity, rec, str, strMap, type JsonRecord } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

/** The beta annotation still overrides spec.storageClassName, as upstream's helpers read it. */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

function storageClass(metadata: unknown, spec: JsonRecord): string {
  const annotations = strMap(rec(metadata).annotations);
  if (BETA_STORAGE_CLASS_ANNOTATION in annotations) return annotations[BETA_STORAGE_CLASS_ANNOTATION];
  return str(spec.storageClassName);
}

function phaseOf(obj: { metadata: { deletionTimestamp?: string } }, status: JsonRecord): string {
  return obj.metadata.deletionTimestamp ? 'Terminating' : str(status.phase);
}

function unsetOr(v: unknown): string {
  return typeof v === 'string' ? v : '<unset>';
}

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'string', swaggerDoc.PersistentVolumeSpec.capacity),
    column('Access Modes', 'string', swaggerDoc.PersistentVolumeSpec.accessModes),
    column('Reclaim Policy', 'string', swaggerDoc.PersistentVolumeSpec.persistentVolumeReclaimPolicy),
    column('Status', 'string', swaggerDoc.PersistentVolumeStatus.phase),
    column('Claim', 'string', swaggerDoc.PersistentVolumeSpec.claimRef),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', swaggerDoc.PersistentVolumeStatus.reason),
    ageColumn,
    column('VolumeMode', 'string', swaggerDoc.PersistentVolumeSpec.volumeMode, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    let claim = '';
    if (spec.claimRef !== undefined && spec.claimRef !== null) {
      const ref = rec(spec.claimRef);
      claim = `${str(ref.namespace)}/${str(ref.name)}`;
    }
    return [
      obj.metadata.name ?? '',
      quantity(rec(spec.capacity).storage),
      accessModesString(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      phaseOf(obj, status),
      claim,
      storageClass(obj.metadata, spec),
      unsetOr(spec.volumeAttributesClassName),
      str(status.reason),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      unsetOr(spec.volumeMode),
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', swaggerDoc.PersistentVolumeClaimStatus.phase),
    column('Volume', 'string', swaggerDoc.PersistentVolumeClaimSpec.volumeName),
    column('Capacity', 'string', swaggerDoc.PersistentVolumeClaimStatus.capacity),
    column('Access Modes', 'string', swaggerDoc.PersistentVolumeClaimStatus.accessModes),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    column('VolumeMode', 'string', swaggerDoc.PersistentVolumeClaimSpec.volumeMode, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const volumeName = str(spec.volumeName);
    // Capacity and access modes are only meaningful once the claim is bound to a volume.
    const bound = volumeName !== '';
    return [
      obj.metadata.name ?? '',
      phaseOf(obj, status),
      volumeName,
      bound ? quantity(rec(status.capacity).storage) : '',
      bound ? accessModesString(status.accessModes) : '',
      storageClass(obj.metadata, spec),
      unsetOr(spec.volumeAttributesClassName),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      unsetOr(spec.volumeMode),
    ];
  },
};
