/**
 * A container's environment as upstream's kubelet builds it: envFrom sources first, then env
 * (later names win), `$(VAR)` references expanded against what came before, values from the
 * downward API, ConfigMaps and Secrets (read through the API; optional refs may be missing).
 */
import type { KubeObject } from '../../api/object.js';
import { parseQuantity } from '../../api/quantity.js';
import { SkiffError } from '../../base/errors.js';
import type { Container, Pod } from './pod-types.js';

export interface EnvSources {
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  nodeName: string;
  hostIP: string;
  podIPs: string[];
  /** Node allocatable, the default of resourceFieldRef limits a container does not set. */
  allocatable: { cpu: string; memory: string; 'ephemeral-storage'?: string };
  /** Service link variables; the container's own env and envFrom override them. */
  serviceEnv?: (pod: Pod) => { key: string; value: string }[];
}

/** A problem the user must fix (upstream's CreateContainerConfigError). */
export class ContainerConfigError extends SkiffError {
  constructor(message: string) {
    super('CreateContainerConfigError', message);
  }
}

/** Expands `$(NAME)` from `vars`; `$$` escapes; unknown references stay as written. */
export function expandVars(input: string, vars: Map<string, string>): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : m;
  });
}

function labelsText(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}="${String(map![k]).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
    .join('\n');
}

export function fieldRefValue(pod: Pod, path: string, src: EnvSources): string {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return labelsText(m.labels);
    case 'metadata.annotations':
      return labelsText(m.annotations);
    case 'spec.nodeName':
      return pod.spec.nodeName ?? src.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return src.hostIP;
    case 'status.hostIPs':
      return src.hostIP;
    case 'status.podIP':
      return src.podIPs[0] ?? '';
    case 'status.podIPs':
      return src.podIPs.join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** Upstream rounds up: a 250m cpu limit with divisor 1 is "1". */
export function resourceFieldValue(pod: Pod, container: Container, ref: { containerName?: string; resource: string; divisor?: string }, src: EnvSources): string {
  const target = ref.containerName ? [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === ref.containerName) : container;
  if (!target) throw new ContainerConfigError(`container ${ref.containerName} not found`);
  const [kind, name] = ref.resource.split('.') as ['limits' | 'requests', string];
  let q = target.resources?.[kind]?.[name];
  if (q === undefined && kind === 'limits') q = (src.allocatable as Record<string, string | undefined>)[name];
  if (q === undefined) q = '0';
  const value = parseQuantity(String(q));
  const divisor = parseQuantity(ref.divisor && ref.divisor !== '0' ? ref.divisor : name === 'cpu' ? '1' : '1');
  if (!value.ok || !divisor.ok) throw new ContainerConfigError(`invalid quantity for ${ref.resource}`);
  const n = value.quantity.nanos;
  const d = divisor.quantity.nanos;
  return String((n + d - 1n) / d);
}

async function refValue(kind: 'ConfigMap' | 'Secret', pod: Pod, ref: { name: string; key: string; optional?: boolean }, src: EnvSources): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  const obj = kind === 'ConfigMap' ? await src.getConfigMap(ns, ref.name) : await src.getSecret(ns, ref.name);
  if (!obj) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${kind.toLowerCase()} "${ref.name}" not found`);
  }
  const data = (obj as { data?: Record<string, string> }).data ?? {};
  if (kind === 'ConfigMap') {
    const v = data[ref.key] ?? (obj as { binaryData?: Record<string, string> }).binaryData?.[ref.key];
    if (v === undefined && !ref.optional) throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`);
    return v;
  }
  const v = data[ref.key];
  if (v === undefined && !ref.optional) throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function containerEnv(pod: Pod, container: Container, src: EnvSources): Promise<{ key: string; value: string }[]> {
  const vars = new Map<string, string>();
  const ns = pod.metadata.namespace ?? 'default';
  for (const { key, value } of src.serviceEnv?.(pod) ?? []) vars.set(key, value);
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await src.getConfigMap(ns, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries((cm as { data?: Record<string, string> }).data ?? {})) if (ENV_NAME.test(prefix + k)) vars.set(prefix + k, v);
    }
    if (from.secretRef) {
      const s = await src.getSecret(ns, from.secretRef.name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries((s as { data?: Record<string, string> }).data ?? {})) {
        if (ENV_NAME.test(prefix + k)) vars.set(prefix + k, Buffer.from(v, 'base64').toString('utf8'));
      }
    }
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    let value: string | undefined;
    if (!from) value = expandVars(e.value ?? '', vars);
    else if (from.fieldRef) value = fieldRefValue(pod, from.fieldRef.fieldPath, src);
    else if (from.resourceFieldRef) value = resourceFieldValue(pod, container, from.resourceFieldRef, src);
    else if (from.configMapKeyRef) value = await refValue('ConfigMap', pod, from.configMapKeyRef, src);
    else if (from.secretKeyRef) value = await refValue('Secret', pod, from.secretKeyRef, src);
    if (value !== undefined) vars.set(e.name, value);
  }
  return [...vars].map(([key, value]) => ({ key, value }));
}
