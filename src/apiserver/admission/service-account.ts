/**
 * ServiceAccount (upstream plugin/pkg/admission/serviceaccount): a new pod runs as a
 * ServiceAccount that exists (`default` unless it names one), and, unless the pod or the
 * account opts out, every container gets the `kube-api-access-*` projected volume (a bound
 * token, the cluster CA from `kube-root-ca.crt`, the namespace) at the well-known path.
 */
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import { admissionForbidden, isResource } from './errors.js';
import { CachedReader, SERVICE_ACCOUNTS } from './lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** Upstream's bound-token lifetime for the legacy-compatible volume: just over an hour. */
const TOKEN_EXPIRATION_SECONDS = 3607;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** The alphabet of upstream's utilrand.String (no vowels, no look-alikes). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Container {
  name?: string;
  volumeMounts?: Mount[];
}
interface PodSpec {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { name: string }[];
  imagePullSecrets?: { name: string }[];
}
interface ServiceAccount extends KubeObject {
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: { name: string }[];
}

export interface ServiceAccountOptions {
  /** Random suffix source, for deterministic tests. */
  suffix?: () => string;
  /** Extra lookups of the `default` account, which its controller may not have created yet. */
  defaultAccountRetries?: number;
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

export function shouldAutomount(sa: ServiceAccount, spec: PodSpec): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

export function tokenVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Mounts the token volume in every container that has nothing at the token path yet. */
export function mountServiceAccountToken(spec: PodSpec, suffix: () => string = randomSuffix): void {
  const taken = new Set((spec.volumes ?? []).map((v) => v.name));
  let name = `kube-api-access-${suffix()}`;
  while (taken.has(name)) name = `kube-api-access-${suffix()}`;
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (needed) spec.volumes = [...(spec.volumes ?? []), tokenVolume(name) as { name: string }];
}

export function serviceAccountPlugin(reader: CachedReader, opts: ServiceAccountOptions = {}): AdmissionPlugin {
  const retries = opts.defaultAccountRetries ?? 9;

  async function lookup(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    let sa = await reader.get(SERVICE_ACCOUNTS, namespace, name, { fresh: true });
    // The `default` account appears right after its namespace; give its controller a moment.
    for (let i = 0; !sa && name === DEFAULT_SERVICE_ACCOUNT && i < retries; i++) {
      await reader.clock.sleep(100 + randomInt(100));
      sa = await reader.get(SERVICE_ACCOUNTS, namespace, name, { fresh: true });
    }
    return sa as ServiceAccount | undefined;
  }

  return {
    name: 'ServiceAccount',
    async admit(a: AdmissionAttributes) {
      if (a.operation !== 'CREATE' || !isResource(a, '', 'pods') || !a.object || !a.namespace) return;
      // Mirror pods of static pods are not the API's to change.
      if (a.object.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = (a.object.spec ??= {}) as PodSpec;
      spec.serviceAccountName ||= spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
      const sa = await lookup(a.namespace, spec.serviceAccountName);
      if (!sa) {
        throw admissionForbidden(a, `error looking up service account ${a.namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`);
      }
      spec.serviceAccount = spec.serviceAccountName;
      if (shouldAutomount(sa, spec)) mountServiceAccountToken(spec, opts.suffix);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
        spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name }));
      }
    },
  };
}
