/**
 * DefaultStorageClass (upstream plugin/pkg/admission/storage/storageclass/setdefault): a new
 * PersistentVolumeClaim that names no class (field absent; "" means "no class") gets the
 * default StorageClass. With several defaults the newest wins, ties by name.
 */
import type { KubeObject } from '../../api/object.js';
import { isResource } from './errors.js';
import { CachedReader, STORAGE_CLASSES } from './lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export function isDefaultClass(sc: KubeObject): boolean {
  return DEFAULT_ANNOTATIONS.some((k) => sc.metadata.annotations?.[k] === 'true');
}

export function pickDefaultClass(classes: KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((x, y) => {
    const tx = Date.parse(x.metadata.creationTimestamp ?? '') || 0;
    const ty = Date.parse(y.metadata.creationTimestamp ?? '') || 0;
    return ty - tx || (x.metadata.name ?? '').localeCompare(y.metadata.name ?? '');
  });
  return defaults[0];
}

export function defaultStorageClass(reader: CachedReader): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async admit(a: AdmissionAttributes) {
      if (a.operation !== 'CREATE' || !isResource(a, '', 'persistentvolumeclaims') || !a.object) return;
      const spec = (a.object.spec ??= {}) as { storageClassName?: string | null };
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      const sc = pickDefaultClass(await reader.list(STORAGE_CLASSES));
      if (sc) spec.storageClassName = sc.metadata.name;
    },
  };
}
