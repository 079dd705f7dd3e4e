/**
 * Bootstrap tokens (upstream cluster-bootstrap/token): `<id>.<secret>`, stored as the Secret
 * `kube-system/bootstrap-token-<id>` of type `bootstrap.kubernetes.io/token`.
 */
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';

export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface BootstrapToken {
  id: string;
  secret: string;
}

export function parseBootstrapToken(token: string): BootstrapToken | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export function generateBootstrapToken(): BootstrapToken {
  return { id: randomString(6), secret: randomString(16) };
}

export function formatBootstrapToken(t: BootstrapToken): string {
  return `${t.id}.${t.secret}`;
}

export function bootstrapSecretName(id: string): string {
  return `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`;
}

/** Extra groups must be below system:bootstrappers (upstream ValidateBootstrapGroupName). */
export function validBootstrapGroup(g: string): boolean {
  return EXTRA_GROUP_RE.test(g);
}

export interface BootstrapSecretOptions {
  /** Absent: never expires. */
  expiresAtMs?: number;
  description?: string;
  usages: string[];
  extraGroups: string[];
}

export function bootstrapTokenSecret(t: BootstrapToken, o: BootstrapSecretOptions): KubeObject {
  const data: Record<string, string> = { 'token-id': t.id, 'token-secret': t.secret };
  if (o.description) data.description = o.description;
  if (o.expiresAtMs !== undefined) data.expiration = new Date(Math.floor(o.expiresAtMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  for (const u of o.usages) data[`usage-bootstrap-${u}`] = 'true';
  if (o.extraGroups.length) data['auth-extra-groups'] = o.extraGroups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapSecretName(t.id), namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

/** A Secret's value by key: `data` (base64) first, then `stringData`. */
export function secretValue(secret: KubeObject, key: string): string | undefined {
  const data = secret.data as Record<string, string> | undefined;
  if (data && typeof data[key] === 'string') return Buffer.from(data[key], 'base64').toString('utf8');
  const stringData = secret.stringData as Record<string, string> | undefined;
  return stringData && typeof stringData[key] === 'string' ? stringData[key] : undefined;
}

/** When the token expires (ms), undefined for never, NaN for an unreadable expiration. */
export function bootstrapExpiry(secret: KubeObject): number | undefined {
  const v = secretValue(secret, 'expiration');
  return v === undefined ? undefined : Date.parse(v);
}

export function bootstrapExtraGroups(secret: KubeObject): string[] {
  return (secretValue(secret, 'auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
}

export function bootstrapUsages(secret: KubeObject): string[] {
  const data = { ...((secret.stringData as Record<string, string>) ?? {}), ...((secret.data as Record<string, string>) ?? {}) };
  return Object.keys(data)
    .filter((k) => k.startsWith('usage-bootstrap-') && secretValue(secret, k) === 'true')
    .map((k) => k.slice('usage-bootstrap-'.length))
    .sort();
}
