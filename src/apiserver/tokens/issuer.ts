/** Mints service-account tokens with the cluster's signing key (upstream pkg/serviceaccount/jwt.go). */
import { randomUUID } from 'node:crypto';
import { signJwt } from './jwt.js';
import { boundClaims, legacyClaims, type BoundClaims, type LegacyClaims } from './service-account-claims.js';
import type { ServiceAccountKey } from './signing-key.js';

export type TokenClaimsInput = Omit<BoundClaims, 'issuedAt' | 'notBefore' | 'expiresAt' | 'jti' | 'warnAfter'>;

export class ServiceAccountTokenIssuer {
  constructor(
    private readonly key: ServiceAccountKey,
    readonly issuer: string,
    /** Audiences a token gets when the request names none (upstream --api-audiences, default the issuer). */
    readonly apiAudiences: string[],
  ) {}

  /** A bound token valid from `nowMs` for `expirationSeconds`; `warnAfterSeconds` marks extended tokens. */
  issue(input: TokenClaimsInput, nowMs: number, expirationSeconds: number, warnAfterSeconds?: number): { token: string; expiresAtMs: number } {
    const now = Math.floor(nowMs / 1000);
    const claims = boundClaims(this.issuer, {
      ...input,
      issuedAt: now,
      notBefore: now,
      expiresAt: now + expirationSeconds,
      warnAfter: warnAfterSeconds === undefined ? undefined : now + warnAfterSeconds,
      jti: randomUUID(),
    });
    return { token: signJwt(claims, this.key.privateKey, this.key.keyId), expiresAtMs: (now + expirationSeconds) * 1000 };
  }

  /** A non-expiring token for a `kubernetes.io/service-account-token` Secret. */
  issueLegacy(c: LegacyClaims): string {
    return signJwt(legacyClaims(c), this.key.privateKey, this.key.keyId);
  }
}
