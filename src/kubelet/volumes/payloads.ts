/**
 * The files of configMap, secret, downwardAPI and projected volumes (upstream's MakePayload
 * and CollectData), computed from the objects and the pod; written by the atomic writer.
 */
import type { KubeObject } from '../../api/object.js';
import { fieldRefValue, resourceFieldValue, type EnvSources } from '../pods/env.js';
import type { Pod } from '../pods/pod-types.js';
import type { FileProjection, Payload } from './atomic-writer.js';
import { DEFAULT_MODE, type DownwardAPIVolumeFile, type KeyToPath, type Volume, type VolumeProjection } from './volume-types.js';

export interface PayloadSources {
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  token(audience: string | undefined, expirationSeconds: number): Promise<string>;
  env: Pick<EnvSources, 'nodeName' | 'hostIP' | 'podIPs' | 'allocatable'>;
}

type Data = Map<string, Buffer>;

function configMapData(cm: KubeObject): Data {
  const out: Data = new Map();
  for (const [k, v] of Object.entries((cm as { data?: Record<string, string> }).data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries((cm as { binaryData?: Record<string, string> }).binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

function secretData(s: KubeObject): Data {
  const out: Data = new Map();
  for (const [k, v] of Object.entries((s as { data?: Record<string, string> }).data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

/** Every key as a file, or only the listed items (a listed key that is missing fails unless optional). */
function keyedPayload(data: Data, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean, missingKey: (key: string) => string, out: Payload): void {
  if (!items?.length) {
    for (const [k, v] of data) out.set(k, { data: v, mode: defaultMode });
    return;
  }
  for (const it of items) {
    const v = data.get(it.key);
    if (v === undefined) {
      if (optional) continue;
      throw new Error(missingKey(it.key));
    }
    out.set(it.path, { data: v, mode: it.mode ?? defaultMode });
  }
}

async function configMapPayload(pod: Pod, src: PayloadSources, name: string, items: KeyToPath[] | undefined, optional: boolean, mode: number, out: Payload): Promise<void> {
  const cm = await src.getConfigMap(pod.metadata.namespace ?? 'default', name);
  if (!cm) {
    if (optional) return;
    throw new Error(`configmap "${name}" not found`);
  }
  keyedPayload(configMapData(cm), items, mode, optional, (k) => `configmap references non-existent config key: ${k}`, out);
}

async function secretPayload(pod: Pod, src: PayloadSources, name: string, items: KeyToPath[] | undefined, optional: boolean, mode: number, out: Payload): Promise<void> {
  const s = await src.getSecret(pod.metadata.namespace ?? 'default', name);
  if (!s) {
    if (optional) return;
    throw new Error(`secret "${name}" not found`);
  }
  keyedPayload(secretData(s), items, mode, optional, (k) => `references non-existent secret key: ${k}`, out);
}

function downwardPayload(pod: Pod, src: PayloadSources, items: DownwardAPIVolumeFile[], mode: number, out: Payload): void {
  const env: EnvSources = { ...src.env, getConfigMap: src.getConfigMap, getSecret: src.getSecret };
  for (const it of items) {
    let value: string;
    if (it.fieldRef) value = fieldRefValue(pod, it.fieldRef.fieldPath, env);
    else if (it.resourceFieldRef) {
      const container = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === it.resourceFieldRef!.containerName) ?? pod.spec.containers[0];
      value = resourceFieldValue(pod, container, it.resourceFieldRef, env);
    } else continue;
    out.set(it.path, { data: Buffer.from(value, 'utf8'), mode: it.mode ?? mode });
  }
}

/** Upstream's minimum and default lifetime of projected service-account tokens. */
const DEFAULT_TOKEN_SECONDS = 3600;

async function projectedPayload(pod: Pod, src: PayloadSources, sources: VolumeProjection[], mode: number, out: Payload): Promise<void> {
  for (const s of sources) {
    if (s.configMap) await configMapPayload(pod, src, s.configMap.name, s.configMap.items, s.configMap.optional === true, mode, out);
    if (s.secret) await secretPayload(pod, src, s.secret.name, s.secret.items, s.secret.optional === true, mode, out);
    if (s.downwardAPI) downwardPayload(pod, src, s.downwardAPI.items ?? [], mode, out);
    if (s.serviceAccountToken) {
      const t = s.serviceAccountToken;
      const token = await src.token(t.audience || undefined, t.expirationSeconds ?? DEFAULT_TOKEN_SECONDS);
      out.set(t.path, { data: Buffer.from(token, 'utf8'), mode });
    }
  }
}

/** The payload of a volume this module writes, or undefined for other volume types. */
export async function volumePayload(pod: Pod, v: Volume, src: PayloadSources): Promise<Payload | undefined> {
  const out: Payload = new Map<string, FileProjection>();
  if (v.configMap) await configMapPayload(pod, src, v.configMap.name, v.configMap.items, v.configMap.optional === true, v.configMap.defaultMode ?? DEFAULT_MODE, out);
  else if (v.secret) await secretPayload(pod, src, v.secret.secretName, v.secret.items, v.secret.optional === true, v.secret.defaultMode ?? DEFAULT_MODE, out);
  else if (v.downwardAPI) downwardPayload(pod, src, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_MODE, out);
  else if (v.projected) await projectedPayload(pod, src, v.projected.sources ?? [], v.projected.defaultMode ?? DEFAULT_MODE, out);
  else return undefined;
  return out;
}
