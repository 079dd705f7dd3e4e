/** The objects a pod uses by name: what its node may read (upstream's node authorizer graph edges). */

export interface PodReferences {
  secrets: Set<string>;
  configMaps: Set<string>;
  claims: Set<string>;
  serviceAccount: string;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec).filter((x): x is Rec => !!x) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Volume sources that name a secret through `secretRef` (upstream VisitPodSecretNames). */
const SECRET_REF_SOURCES = ['cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos'];

export function podReferences(pod: Rec): PodReferences {
  const spec = rec(pod.spec) ?? {};
  const podName = str(rec(pod.metadata)?.name) ?? '';
  const out: PodReferences = { secrets: new Set(), configMaps: new Set(), claims: new Set(), serviceAccount: str(spec.serviceAccountName) ?? 'default' };
  const add = (set: Set<string>, v: unknown) => {
    const s = str(v);
    if (s) set.add(s);
  };
  for (const s of list(spec.imagePullSecrets)) add(out.secrets, s.name);
  for (const c of [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)]) {
    for (const e of list(c.envFrom)) {
      add(out.secrets, rec(e.secretRef)?.name);
      add(out.configMaps, rec(e.configMapRef)?.name);
    }
    for (const e of list(c.env)) {
      const from = rec(e.valueFrom);
      add(out.secrets, rec(from?.secretKeyRef)?.name);
      add(out.configMaps, rec(from?.configMapKeyRef)?.name);
    }
  }
  for (const v of list(spec.volumes)) {
    add(out.secrets, rec(v.secret)?.secretName);
    add(out.configMaps, rec(v.configMap)?.name);
    add(out.claims, rec(v.persistentVolumeClaim)?.claimName);
    if (v.ephemeral) add(out.claims, `${podName}-${str(v.name) ?? ''}`);
    add(out.secrets, rec(v.azureFile)?.secretName);
    add(out.secrets, rec(rec(v.csi)?.nodePublishSecretRef)?.name);
    for (const k of SECRET_REF_SOURCES) add(out.secrets, rec(rec(v[k])?.secretRef)?.name);
    for (const src of list(rec(v.projected)?.sources)) {
      add(out.secrets, rec(src.secret)?.name);
      add(out.configMaps, rec(src.configMap)?.name);
    }
  }
  return out;
}
