/**
 * Everything the API server needs to authenticate tokens and mint service-account tokens,
 * built once at startup: the signing key, the static token file, bootstrap tokens and
 * service-account JWTs, behind one bearer-token authenticator.
 */
import type { Clock } from '../../base/clock.js';
import type { ServerParts } from '../handlers/context.js';
import { ServiceAccountTokenIssuer } from '../tokens/issuer.js';
import { DEFAULT_ISSUER } from '../tokens/service-account-claims.js';
import { ensureServiceAccountKey, type ServiceAccountKey } from '../tokens/signing-key.js';
import { bootstrapTokenUser } from './bootstrap-token.js';
import { watchCacheGetter, type ObjectGetter } from './object-getter.js';
import { serviceAccountTokenAuthenticator } from './service-account.js';
import { audienceAgnostic, bearerTokenAuthenticator, unionTokenAuthenticator, type TokenAuthenticator } from './token.js';
import { loadTokenFile, staticTokenUser } from './token-file.js';
import type { Authenticator, UserInfo } from './types.js';

export interface ServerAuthentication {
  /** Put among the server's authenticators: handles `Authorization: Bearer`. */
  bearer: Authenticator;
  /** Every token kind, for TokenReview. */
  tokens: TokenAuthenticator;
  /** Mints tokens for serviceaccounts/<name>/token. */
  issuer: ServiceAccountTokenIssuer;
  apiAudiences: string[];
}

export interface AuthenticationOptions {
  key: ServiceAccountKey;
  clock: Clock;
  objects: ObjectGetter;
  issuer?: string;
  apiAudiences?: string[];
  /** From --token-auth-file. */
  staticTokens?: Map<string, UserInfo>;
}

export function buildAuthentication(o: AuthenticationOptions): ServerAuthentication {
  const iss = o.issuer ?? DEFAULT_ISSUER;
  const apiAudiences = o.apiAudiences?.length ? o.apiAudiences : [iss];
  const list: TokenAuthenticator[] = [];
  if (o.staticTokens?.size) list.push(audienceAgnostic(apiAudiences, staticTokenUser(o.staticTokens)));
  list.push(audienceAgnostic(apiAudiences, bootstrapTokenUser(o.objects, o.clock)));
  list.push(serviceAccountTokenAuthenticator({ issuers: [iss], apiAudiences, publicKeys: [o.key.publicKey], clock: o.clock, objects: o.objects }));
  const tokens = unionTokenAuthenticator(list);
  return { bearer: bearerTokenAuthenticator(tokens), tokens, issuer: new ServiceAccountTokenIssuer(o.key, iss, apiAudiences), apiAudiences };
}

/** The production wiring: key from `<data-dir>/tls`, objects from the server's watch cache. */
export async function serverAuthentication(o: {
  dataDir: string;
  clock: Clock;
  parts: () => Pick<ServerParts, 'bound' | 'caches'>;
  tokenAuthFile?: string;
}): Promise<ServerAuthentication> {
  const [key, staticTokens] = await Promise.all([ensureServiceAccountKey(o.dataDir), o.tokenAuthFile ? loadTokenFile(o.tokenAuthFile) : undefined]);
  return buildAuthentication({ key, clock: o.clock, objects: watchCacheGetter(o.parts), staticTokens });
}
