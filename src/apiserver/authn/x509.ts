/**
 * Client certificates: a certificate the cluster's client CA signed authenticates its CN as the
 * user and its O values as groups (upstream x509 authenticator). The TLS layer verifies the
 * chain (`requestCert` with the client CA); a certificate it could not verify is a 401.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { unauthorizedError } from '../authz/attributes.js';
import type { Authenticator, UserInfo } from './types.js';

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * A connection's certificate never changes, and reading it costs a copy out of OpenSSL on
 * every request: remember the answer per socket (null = no certificate, 'bad' = unverified).
 */
const bySocket = new WeakMap<object, UserInfo | null | 'bad'>();

export const x509Authenticator: Authenticator = {
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== 'function') return undefined;
    let known = bySocket.get(socket);
    if (known === undefined) {
      known = fromCertificate(socket);
      bySocket.set(socket, known);
    }
    if (known === 'bad') throw unauthorizedError();
    return known ?? undefined;
  },
};

function fromCertificate(socket: Partial<TLSSocket>): UserInfo | null | 'bad' {
  const cert = socket.getPeerCertificate!();
  if (!cert || Object.keys(cert).length === 0) return null;
  if (!socket.authorized) return 'bad';
  const cn = asList(cert.subject?.CN as string | string[] | undefined)[0];
  if (!cn) return 'bad';
  return Object.freeze({ name: cn, groups: asList(cert.subject?.O as string | string[] | undefined) });
}
