/**
 * Service-account JWTs (upstream pkg/serviceaccount jwt.go, claims.go, legacy.go): a token is
 * ours when its issuer is; then the signature, the time window, the audience and the objects it
 * is bound to (same uid, not being deleted) must all hold, or it is a 401.
 */
import type { KeyObject } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../base/clock.js';
import { decodeJwt, verifyJwtSignature } from '../tokens/jwt.js';
import {
  LEGACY_ISSUER,
  parseBoundClaims,
  parseLegacyClaims,
  serviceAccountGroups,
  serviceAccountUsername,
  type BoundClaims,
  type ObjectRef,
} from '../tokens/service-account-claims.js';
import type { ObjectGetter, TokenObjectResource } from './object-getter.js';
import { InvalidTokenError, type TokenAuthenticator, type TokenResult } from './token.js';
import type { UserInfo } from './types.js';

/** Clock skew tolerated on exp/nbf/iat, as go-jose's default leeway. */
const LEEWAY_SECONDS = 60;

export interface ServiceAccountAuthenticatorConfig {
  issuers: string[];
  apiAudiences: string[];
  publicKeys: KeyObject[];
  clock: Clock;
  objects: ObjectGetter;
  /** Accept `kubernetes.io/service-account-token` Secret tokens (upstream default: yes). */
  legacy?: boolean;
}

function invalid(msg: string): InvalidTokenError {
  return new InvalidTokenError(msg);
}

async function mustExist(objects: ObjectGetter, resource: TokenObjectResource, kind: string, ns: string | undefined, ref: ObjectRef, nowMs: number): Promise<KubeObject> {
  const obj = await objects.get(resource, ns, ref.name);
  if (!obj) throw invalid(`${kind} ${ns ? `${ns}/` : ''}${ref.name} has been deleted`);
  if (obj.metadata.uid !== ref.uid) throw invalid(`${kind} UID (${obj.metadata.uid}) does not match claim (${ref.uid})`);
  const deletion = obj.metadata.deletionTimestamp;
  if (deletion && Date.parse(deletion) < nowMs) throw invalid(`${kind} ${ref.name} is being deleted`);
  return obj;
}

export function serviceAccountTokenAuthenticator(cfg: ServiceAccountAuthenticatorConfig): TokenAuthenticator {
  const bound = async (claims: BoundClaims, wanted: string[]): Promise<TokenResult> => {
    const now = cfg.clock.now();
    const nowSec = Math.floor(now / 1000);
    if (nowSec > claims.expiresAt + LEEWAY_SECONDS) throw invalid('service account token has expired');
    if (claims.notBefore && nowSec + LEEWAY_SECONDS < claims.notBefore) throw invalid('service account token is not valid yet');
    if (claims.issuedAt && nowSec + LEEWAY_SECONDS < claims.issuedAt) throw invalid('service account token was issued in the future');
    const audiences = claims.audiences.filter((a) => wanted.includes(a));
    if (!audiences.length) throw invalid(`token audiences ${JSON.stringify(claims.audiences)} is invalid for the target audiences ${JSON.stringify(wanted)}`);
    const ns = claims.namespace;
    const sa = await mustExist(cfg.objects, 'serviceaccounts', 'ServiceAccount', ns, claims.serviceAccount, now);
    const extra: Record<string, string[]> = {};
    if (claims.pod) {
      await mustExist(cfg.objects, 'pods', 'Pod', ns, claims.pod, now);
      extra['authentication.kubernetes.io/pod-name'] = [claims.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [claims.pod.uid];
    }
    if (claims.secret) await mustExist(cfg.objects, 'secrets', 'Secret', ns, claims.secret, now);
    if (claims.node) {
      // Only node-bound tokens depend on the node; pod-bound ones merely name it.
      if (!claims.pod) await mustExist(cfg.objects, 'nodes', 'Node', undefined, claims.node, now);
      extra['authentication.kubernetes.io/node-name'] = [claims.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [claims.node.uid];
    }
    if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    const user: UserInfo = {
      name: serviceAccountUsername(ns, claims.serviceAccount.name),
      uid: sa.metadata.uid,
      groups: serviceAccountGroups(ns),
    };
    if (Object.keys(extra).length) user.extra = extra;
    return { user, audiences };
  };

  const legacy = async (token: string, claims: Record<string, unknown>, wanted: string[]): Promise<TokenResult> => {
    const c = parseLegacyClaims(claims);
    if (typeof c === 'string') throw invalid(c);
    const now = cfg.clock.now();
    await mustExist(cfg.objects, 'serviceaccounts', 'ServiceAccount', c.namespace, c.serviceAccount, now);
    const secret = await cfg.objects.get('secrets', c.namespace, c.secretName);
    if (!secret) throw invalid(`Secret ${c.namespace}/${c.secretName} has been deleted`);
    if (secret.metadata.deletionTimestamp) throw invalid(`Secret ${c.namespace}/${c.secretName} is being deleted`);
    const stored = (secret.data as Record<string, string> | undefined)?.token;
    if (!stored || Buffer.from(stored, 'base64').toString('utf8') !== token) throw invalid('token does not match the one stored in its Secret');
    return {
      user: {
        name: serviceAccountUsername(c.namespace, c.serviceAccount.name),
        uid: c.serviceAccount.uid,
        groups: serviceAccountGroups(c.namespace),
        extra: { 'authentication.kubernetes.io/credential-id': [`kubernetes.io/legacy-token/${c.secretName}`] },
      },
      // Legacy tokens name no audience: they are good for whatever the caller asked.
      audiences: wanted,
    };
  };

  return {
    async authenticateToken(token, audiences) {
      const jwt = decodeJwt(token);
      if (!jwt) return undefined;
      const iss = jwt.claims.iss;
      const isLegacy = cfg.legacy !== false && iss === LEGACY_ISSUER;
      if (!isLegacy && (typeof iss !== 'string' || !cfg.issuers.includes(iss))) return undefined;
      if (!verifyJwtSignature(jwt, cfg.publicKeys)) throw invalid('invalid bearer token, square/go-jose: error in cryptographic primitive');
      const wanted = audiences?.length ? audiences : cfg.apiAudiences;
      if (isLegacy) return legacy(token, jwt.claims, wanted);
      const claims = parseBoundClaims(jwt.claims);
      if (typeof claims === 'string') throw invalid(claims);
      return bound(claims, wanted);
    },
  };
}
