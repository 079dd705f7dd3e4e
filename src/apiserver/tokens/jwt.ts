/**
 * Compact JWS (JWT) signing and verification with node:crypto: RS256 for RSA keys, ES256 for
 * P-256 keys. Only what service-account tokens need; no `none`, no HMAC, no JWK sets.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: { alg?: string; kid?: string; typ?: string };
  claims: JwtClaims;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`unsupported service-account signing key type ${key.asymmetricKeyType}`);
}

/**
 * Key id as upstream derives it (pkg/serviceaccount keyIDFromPublicKey): SHA-256 of the
 * public key's DER SubjectPublicKeyInfo, base64url without padding.
 */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return b64url(createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest());
}

export function signJwt(claims: JwtClaims, privateKey: KeyObject, keyId = keyIdOf(privateKey)): string {
  const alg = algorithmOf(privateKey);
  const input = `${b64url(JSON.stringify({ alg, kid: keyId }))}.${b64url(JSON.stringify(claims))}`;
  // ES256 signatures are the raw r||s pair in JWS, not DER.
  const sig = sign('sha256', Buffer.from(input), alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
  return `${input}.${b64url(sig)}`;
}

/** Splits and decodes a token without checking its signature; undefined when it is not a JWT. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (!isRecord(header) || !isRecord(claims)) return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, never> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when one of `publicKeys` signed the token with the algorithm its header names. */
export function verifyJwtSignature(jwt: DecodedJwt, publicKeys: KeyObject[]): boolean {
  for (const key of publicKeys) {
    let alg: string;
    try {
      alg = algorithmOf(key);
    } catch {
      continue;
    }
    if (jwt.header.alg !== alg) continue;
    const input = Buffer.from(jwt.signingInput);
    const ok = alg === 'ES256' ? verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature) : verify('sha256', input, key, jwt.signature);
    if (ok) return true;
  }
  return false;
}
