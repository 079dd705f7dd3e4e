/**
 * Which PersistentVolume a claim should get (upstream pkg/controller/volume/persistentvolume/
 * util FindMatchingVolume): the smallest volume that satisfies capacity, access modes, class,
 * volumeMode and the claim's selector; a volume pre-bound to the claim always wins.
 */
import type { KubeObject } from '../../api/object.js';
import { parseQuantity } from '../../api/quantity.js';
import { fromLabelSelectorObject, matchesLabels, type LabelSelectorObject } from '../../api/selectors/label-selector.js';

export const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export interface ClaimRef {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

interface PvSpec {
  capacity?: { storage?: string };
  accessModes?: string[];
  storageClassName?: string;
  volumeMode?: string;
  claimRef?: ClaimRef;
  persistentVolumeReclaimPolicy?: string;
}

interface PvcSpec {
  resources?: { requests?: { storage?: string } };
  accessModes?: string[];
  storageClassName?: string | null;
  volumeMode?: string;
  selector?: LabelSelectorObject;
  volumeName?: string;
}

export const pvSpec = (pv: KubeObject): PvSpec => (pv.spec ?? {}) as PvSpec;
export const pvcSpec = (pvc: KubeObject): PvcSpec => (pvc.spec ?? {}) as PvcSpec;

export function bytes(q: string | undefined): bigint {
  if (!q) return 0n;
  const r = parseQuantity(q);
  return r.ok ? r.quantity.nanos : 0n;
}

/** Upstream GetPersistentVolumeClaimClass: the beta annotation wins, unset means "". */
export function claimClass(pvc: KubeObject): string {
  const a = pvc.metadata.annotations?.[BETA_CLASS_ANNOTATION];
  if (a !== undefined) return a;
  return pvcSpec(pvc).storageClassName ?? '';
}

export function volumeClass(pv: KubeObject): string {
  return pv.metadata.annotations?.[BETA_CLASS_ANNOTATION] ?? pvSpec(pv).storageClassName ?? '';
}

/** The claimRef points at this claim (by uid once bound, by name when only pre-bound). */
export function isVolumeBoundToClaim(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = pvSpec(pv).claimRef;
  if (!ref || ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** Why `pv` cannot serve `pvc` (ignoring claimRef), or undefined when it can. */
export function mismatch(pv: KubeObject, pvc: KubeObject): string | undefined {
  const v = pvSpec(pv);
  const c = pvcSpec(pvc);
  if ((v.volumeMode ?? 'Filesystem') !== (c.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  if (volumeClass(pv) !== claimClass(pvc)) return 'storageClassName does not match';
  const modes = new Set(v.accessModes ?? []);
  if (!(c.accessModes ?? []).every((m) => modes.has(m))) return 'incompatible accessMode';
  if (bytes(v.capacity?.storage) < bytes(c.resources?.requests?.storage)) return 'requested PV is too small';
  if (c.selector && !matchesLabels(fromLabelSelectorObject(c.selector), pv.metadata.labels)) return 'selector does not match';
  return undefined;
}

/**
 * The best volume for the claim. With delayed binding (WaitForFirstConsumer) and no node
 * chosen yet, only a volume already pre-bound to the claim is returned.
 */
export function findBestMatch(pvc: KubeObject, volumes: KubeObject[], delayBinding: boolean, nodeFits: (pv: KubeObject) => boolean = () => true): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp) continue;
    if (mismatch(pv, pvc) !== undefined) continue;
    if (isVolumeBoundToClaim(pv, pvc)) return pv;
    if (pvSpec(pv).claimRef) continue;
    const phase = ((pv.status ?? {}) as { phase?: string }).phase;
    if (phase && phase !== 'Available' && phase !== 'Pending') continue;
    if (delayBinding || !nodeFits(pv)) continue;
    if (!best || bytes(pvSpec(pv).capacity?.storage) < bytes(pvSpec(best).capacity?.storage)) best = pv;
  }
  return best;
}
