/** PersistentVolumeClaim spec defaults, shared by PVCs, StatefulSet claim templates and ephemeral volumes. */
import { setDefaultString, type Json } from './set-default.js';

export function defaultPersistentVolumeClaimSpec(spec: Json): void {
  setDefaultString(spec, 'volumeMode', 'Filesystem');
}
