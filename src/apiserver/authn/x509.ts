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

export const x509Authenticator: Authenticator = {
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== 'function') return undefined;
    const cert = socket.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return undefined;
    if (!socket.authorized) throw unauthorizedError();
    const cn = asList(cert.subject?.CN as string | string[] | undefined)[0];
    if (!cn) throw unauthorizedError();
    return { name: cn, groups: asList(cert.subject?.O as string | string[] | undefined) };
  },
};
