/**
 * The join token an agent is given: `K10<ca-hash>::<id>.<secret>` pins the cluster CA (the
 * sha256 of its DER bytes, hex) the way k3s's secure tokens do; a bare `<id>.<secret>` carries
 * no pin, so the agent has to trust the CA the server first presents.
 */
import { createHash, X509Certificate } from 'node:crypto';

export interface JoinToken {
  /** Lower-case hex sha256 of the CA certificate's DER bytes; absent for a bare token. */
  caHash?: string;
  /** The bearer token sent while bootstrapping: `<id>.<secret>`. */
  bootstrapToken: string;
}

export class JoinTokenError extends Error {}

const FULL = /^K10([0-9a-fA-F]{64})::(.+)$/;

export function parseJoinToken(text: string): JoinToken {
  const t = text.trim();
  const m = FULL.exec(t);
  if (m) return { caHash: m[1]!.toLowerCase(), bootstrapToken: m[2]! };
  if (t.startsWith('K10')) throw new JoinTokenError('malformed token: want K10<sha256 hex of the CA>::<id>.<secret>');
  return { bootstrapToken: t };
}

/** sha256 of the certificate's DER encoding, lower-case hex. */
export function caCertHash(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

export function formatJoinToken(caCertPem: string, bootstrapToken: string): string {
  return `K10${caCertHash(caCertPem)}::${bootstrapToken}`;
}
