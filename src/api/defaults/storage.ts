/** storage.k8s.io/v1 defaulting. */
import type { KubeObject } from '../object.js';
import { setDefault, setDefaultString, child } from './set-default.js';

export function defaultStorageClass(obj: KubeObject): void {
  setDefaultString(obj, 'reclaimPolicy', 'Delete');
  setDefaultString(obj, 'volumeBindingMode', 'Immediate');
}

export function defaultCSIDriver(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefault(spec, 'attachRequired', true);
  setDefault(spec, 'podInfoOnMount', false);
  setDefault(spec, 'storageCapacity', false);
  setDefaultString(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  if (!Array.isArray(spec.volumeLifecycleModes) || spec.volumeLifecycleModes.length === 0) {
    spec.volumeLifecycleModes = ['Persistent'];
  }
  setDefault(spec, 'requiresRepublish', false);
  setDefault(spec, 'seLinuxMount', false);
}
