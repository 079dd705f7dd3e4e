/**
 * Bearer tokens (upstream authentication/request/bearertoken and token/union): token
 * authenticators say "not my kind of token" (undefined) or "mine but bad" (InvalidTokenError).
 * A bearer token no authenticator accepts is a 401, never anonymous.
 */
import type { IncomingMessage } from 'node:http';
import { unauthorizedError } from '../authz/attributes.js';
import type { Authenticator, UserInfo } from './types.js';

export interface TokenResult {
  user: UserInfo;
  /** The audiences the token is valid for, among those asked about. */
  audiences: string[];
}

export interface TokenAuthenticator {
  /** `audiences`: those the caller accepts (TokenReview); absent → the API server's own. */
  authenticateToken(token: string, audiences?: string[]): Promise<TokenResult | undefined>;
}

export class InvalidTokenError extends Error {
  readonly code = 'InvalidToken';
}

/** Asks each in order; the first answer (user or error) decides. */
export function unionTokenAuthenticator(list: TokenAuthenticator[]): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      for (const a of list) {
        const r = await a.authenticateToken(token, audiences);
        if (r) return r;
      }
      return undefined;
    },
  };
}

/**
 * For tokens that carry no audience (static file, bootstrap): valid exactly for the API server's
 * audiences (upstream WrapAudienceAgnosticToken).
 */
export function audienceAgnostic(apiAudiences: string[], inner: (token: string) => Promise<UserInfo | undefined>): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const wanted = audiences?.length ? audiences : apiAudiences;
      const matched = wanted.filter((a) => apiAudiences.includes(a));
      const user = await inner(token);
      if (!user) return undefined;
      if (!matched.length) throw new InvalidTokenError('token audiences are invalid for the target audiences');
      return { user, audiences: matched };
    },
  };
}

const WEBSOCKET_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/** The request's bearer token: `Authorization: Bearer …`, or the WebSocket subprotocol browsers use. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^\s*bearer\s+(\S*)\s*$/i.exec(auth);
    if (m) return m[1] || undefined;
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',').map((s) => s.trim())) {
      if (!p.startsWith(WEBSOCKET_PROTOCOL_PREFIX)) continue;
      const encoded = p.slice(WEBSOCKET_PROTOCOL_PREFIX.length);
      const token = Buffer.from(encoded, 'base64url').toString('utf8');
      if (token) return token;
    }
  }
  return undefined;
}

export function bearerTokenAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req);
      if (token === undefined) return undefined;
      try {
        const r = await tokens.authenticateToken(token);
        if (r) return r.user;
      } catch (err) {
        if (!(err instanceof InvalidTokenError)) throw err;
      }
      throw unauthorizedError();
    },
  };
}
