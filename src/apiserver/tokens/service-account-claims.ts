/**
 * The claims of service-account tokens (upstream pkg/serviceaccount/claims.go and legacy.go):
 * bound tokens carry `kubernetes.io: {namespace, serviceaccount, pod?, secret?, node?}`;
 * legacy Secret-stored tokens carry flat `kubernetes.io/serviceaccount/*` claims.
 */
import type { JwtClaims } from './jwt.js';

/** Upstream's default --service-account-issuer, and its default API audience. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

/** A kubelet asking for exactly this lifetime gets a year-long token that warns after it. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface BoundClaims {
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  audiences: string[];
  issuedAt: number;
  notBefore: number;
  expiresAt: number;
  warnAfter?: number;
  jti?: string;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** `system:serviceaccount:ns:name` → {namespace, name}; undefined for other user names. */
export function parseServiceAccountUsername(user: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

export function boundClaims(issuer: string, c: BoundClaims): JwtClaims {
  const k8s: Record<string, unknown> = { namespace: c.namespace };
  if (c.node) k8s.node = { ...c.node };
  if (c.pod) k8s.pod = { ...c.pod };
  if (c.secret) k8s.secret = { ...c.secret };
  k8s.serviceaccount = { ...c.serviceAccount };
  if (c.warnAfter !== undefined) k8s.warnafter = c.warnAfter;
  const claims: JwtClaims = {
    aud: c.audiences,
    exp: c.expiresAt,
    iat: c.issuedAt,
    iss: issuer,
  };
  if (c.jti) claims.jti = c.jti;
  claims['kubernetes.io'] = k8s;
  claims.nbf = c.notBefore;
  claims.sub = serviceAccountUsername(c.namespace, c.serviceAccount.name);
  return claims;
}

function ref(v: unknown): ObjectRef | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { name, uid } = v as { name?: unknown; uid?: unknown };
  return typeof name === 'string' && typeof uid === 'string' ? { name, uid } : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads bound claims back; a string naming what is missing when they are malformed. */
export function parseBoundClaims(claims: JwtClaims): BoundClaims | string {
  const k8s = claims['kubernetes.io'] as Record<string, unknown> | undefined;
  if (typeof k8s !== 'object' || k8s === null) return 'token does not contain kubernetes.io claims';
  const namespace = k8s.namespace;
  const serviceAccount = ref(k8s.serviceaccount);
  if (typeof namespace !== 'string' || !namespace || !serviceAccount) return 'token does not name a service account';
  if (claims.sub !== serviceAccountUsername(namespace, serviceAccount.name)) return 'token subject does not match its service account';
  const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
  const expiresAt = num(claims.exp);
  if (expiresAt === undefined) return 'token has no expiry';
  return {
    namespace,
    serviceAccount,
    pod: ref(k8s.pod),
    secret: ref(k8s.secret),
    node: ref(k8s.node),
    audiences: aud,
    issuedAt: num(claims.iat) ?? 0,
    notBefore: num(claims.nbf) ?? 0,
    expiresAt,
    warnAfter: num(k8s.warnafter),
    jti: typeof claims.jti === 'string' ? claims.jti : undefined,
  };
}

export interface LegacyClaims {
  namespace: string;
  secretName: string;
  serviceAccount: ObjectRef;
}

export function legacyClaims(c: LegacyClaims): JwtClaims {
  return {
    iss: LEGACY_ISSUER,
    'kubernetes.io/serviceaccount/namespace': c.namespace,
    'kubernetes.io/serviceaccount/secret.name': c.secretName,
    'kubernetes.io/serviceaccount/service-account.name': c.serviceAccount.name,
    'kubernetes.io/serviceaccount/service-account.uid': c.serviceAccount.uid,
    sub: serviceAccountUsername(c.namespace, c.serviceAccount.name),
  };
}

export function parseLegacyClaims(claims: JwtClaims): LegacyClaims | string {
  const s = (k: string) => {
    const v = claims[`kubernetes.io/serviceaccount/${k}`];
    return typeof v === 'string' && v ? v : undefined;
  };
  const namespace = s('namespace');
  const secretName = s('secret.name');
  const name = s('service-account.name');
  const uid = s('service-account.uid');
  if (!namespace || !secretName || !name || !uid) return 'token is missing service account claims';
  if (claims.sub !== serviceAccountUsername(namespace, name)) return 'token subject does not match its service account';
  return { namespace, secretName, serviceAccount: { name, uid } };
}
