/**
 * A static pod from its manifest file, defaulted as upstream's file source does: namespace
 * `default`, name suffixed with the node name, bound to the node, and a UID that is a hash of
 * the pod, the node and the file (so any change of the file makes a new pod).
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { Pod } from '../pods/pod-types.js';

export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';

export class ManifestError extends Error {}

/** Parses one manifest (YAML or JSON, one Pod) into the pod the agent runs. */
export function staticPodFromManifest(text: string, file: string, nodeName: string, seen: string): Pod {
  let obj: unknown;
  try {
    obj = parse(text);
  } catch (err) {
    throw new ManifestError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const o = obj as Partial<Pod> | null;
  if (!o || typeof o !== 'object' || o.kind !== 'Pod' || (o.apiVersion && o.apiVersion !== 'v1')) throw new ManifestError(`${file}: not a v1 Pod`);
  if (!o.metadata?.name) throw new ManifestError(`${file}: metadata.name is required`);
  if (!Array.isArray(o.spec?.containers) || o.spec.containers.length === 0) throw new ManifestError(`${file}: spec.containers is required`);
  const pod = structuredClone(o) as Pod;
  pod.apiVersion = 'v1';
  pod.metadata.namespace ||= 'default';
  pod.metadata.name = `${pod.metadata.name}-${nodeName}`;
  pod.spec.nodeName = nodeName;
  const hash = createHash('md5').update(canonicalJSON(pod)).update(`host:${nodeName}`).update(`file:${file}`).digest('hex');
  pod.metadata.uid = hash;
  pod.metadata.annotations = { ...pod.metadata.annotations, [CONFIG_HASH]: hash, [CONFIG_SOURCE]: 'file', [CONFIG_SEEN]: seen };
  return pod;
}

function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
