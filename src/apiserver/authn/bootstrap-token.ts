/**
 * Bootstrap-token authentication (upstream plugin/pkg/auth/authenticator/token/bootstrap):
 * a well-formed `<id>.<secret>` whose Secret exists, matches, allows authentication and has
 * not expired → `system:bootstrap:<id>` in `system:bootstrappers` (+ the Secret's extra groups).
 * Anything else is simply not a valid token (the bearer layer turns that into a 401).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../base/clock.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_USER_PREFIX,
  BOOTSTRAPPERS_GROUP,
  bootstrapExpiry,
  bootstrapExtraGroups,
  bootstrapSecretName,
  parseBootstrapToken,
  secretValue,
  validBootstrapGroup,
} from '../tokens/bootstrap-token.js';
import type { ObjectGetter } from './object-getter.js';
import type { UserInfo } from './types.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function bootstrapTokenUser(objects: ObjectGetter, clock: Clock): (token: string) => Promise<UserInfo | undefined> {
  return async (token) => {
    const t = parseBootstrapToken(token);
    if (!t) return undefined;
    const secret = await objects.get('secrets', BOOTSTRAP_TOKEN_NAMESPACE, bootstrapSecretName(t.id));
    if (!secret || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || secret.metadata.deletionTimestamp) return undefined;
    if (secretValue(secret, 'token-id') !== t.id) return undefined;
    if (!sameSecret(secretValue(secret, 'token-secret') ?? '', t.secret)) return undefined;
    const expiry = bootstrapExpiry(secret);
    if (expiry !== undefined && !(expiry > clock.now())) return undefined;
    if (secretValue(secret, 'usage-bootstrap-authentication') !== 'true') return undefined;
    const extra = bootstrapExtraGroups(secret);
    if (!extra.every(validBootstrapGroup)) return undefined;
    return { name: `${BOOTSTRAP_USER_PREFIX}${t.id}`, groups: [BOOTSTRAPPERS_GROUP, ...extra.filter((g) => g !== BOOTSTRAPPERS_GROUP)] };
  };
}
