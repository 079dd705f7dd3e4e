/**
 * Learning the cluster CA before any credentials are trusted: the CA is read from the chain
 * the server presents in its TLS handshake (no HTTP request is sent), then checked against the
 * join token's pin.
 */
import { connect, type DetailedPeerCertificate } from 'node:tls';
import type { Logger } from '../../base/logger.js';
import { caCertHash, type JoinToken } from './join-token.js';

export class CaPinError extends Error {}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** The self-signed certificate at the top of the chain the server presents. */
export function presentedCA(server: string): Promise<string> {
  const u = new URL(server);
  return new Promise((resolve, reject) => {
    const s = connect({ host: u.hostname, port: Number(u.port || 443), servername: undefined, rejectUnauthorized: false }, () => {
      let cert: DetailedPeerCertificate = s.getPeerCertificate(true);
      while (cert.issuerCertificate && cert.issuerCertificate !== cert && cert.issuerCertificate.raw) cert = cert.issuerCertificate;
      s.destroy();
      if (!cert.raw) return reject(new Error(`${server} presented no certificate`));
      // A chain without its root cannot be pinned: the leaf would be taken for the CA.
      if (cert.issuer && cert.subject && JSON.stringify(cert.issuer) !== JSON.stringify(cert.subject)) {
        return reject(new Error(`${server} did not present its CA certificate in the TLS chain`));
      }
      resolve(toPem(cert.raw));
    });
    s.once('error', reject);
  });
}

/**
 * The cluster CA for this join: the one the server presents, accepted only when it matches the
 * token's pin; with no pin it is trusted on first use, with a warning.
 */
export async function verifiedServerCA(server: string, token: JoinToken, log?: Logger): Promise<string> {
  const ca = await presentedCA(server);
  const got = caCertHash(ca);
  if (token.caHash === undefined) {
    log?.warn('the join token has no CA hash; trusting the CA the server presented (use the K10… token from `skiff token create` to pin it)', { caHash: got });
    return ca;
  }
  if (got !== token.caHash) {
    throw new CaPinError(`the server's CA (sha256 ${got}) does not match the token's CA hash ${token.caHash}: refusing to join ${server}`);
  }
  return ca;
}
