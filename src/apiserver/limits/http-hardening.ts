/**
 * Connection-level limits of the HTTPS listener: slow or idle clients are cut off so they
 * cannot hold sockets forever (slowloris), oversized headers get 431, and optionally one
 * client address may hold only so many connections.
 */
import type { Server } from 'node:https';
import type { Socket } from 'node:net';

export interface HttpLimitOptions {
  /** Time to receive a request's headers (upstream ReadHeaderTimeout: 32 s). */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, body included (not the response: watches are unaffected). */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this. */
  keepAliveTimeoutMs?: number;
  /** TLS handshakes that do not finish in time are dropped. */
  handshakeTimeoutMs?: number;
  /** 0 = unlimited. */
  maxConnectionsPerIP?: number;
}

export const DEFAULT_HTTP_LIMITS: Required<HttpLimitOptions> = {
  headersTimeoutMs: 32_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 65_000,
  handshakeTimeoutMs: 10_000,
  maxConnectionsPerIP: 0,
};

/** Largest request head accepted; larger ones get 431 (node's default, stated here on purpose). */
export const MAX_HEADER_SIZE = 16 * 1024;

/** Server options that must be given at construction time. */
export function httpsServerLimitOptions(opts: HttpLimitOptions = {}): { maxHeaderSize: number; handshakeTimeout: number } {
  return { maxHeaderSize: MAX_HEADER_SIZE, handshakeTimeout: opts.handshakeTimeoutMs ?? DEFAULT_HTTP_LIMITS.handshakeTimeoutMs };
}

export function hardenHttpsServer(server: Server, options: HttpLimitOptions = {}): void {
  const opts = { ...DEFAULT_HTTP_LIMITS, ...options };
  server.headersTimeout = opts.headersTimeoutMs;
  server.requestTimeout = opts.requestTimeoutMs;
  server.keepAliveTimeout = opts.keepAliveTimeoutMs;
  if (opts.maxConnectionsPerIP > 0) {
    const perIP = new Map<string, number>();
    server.on('connection', (socket: Socket) => {
      const ip = socket.remoteAddress ?? '';
      const n = perIP.get(ip) ?? 0;
      if (n >= opts.maxConnectionsPerIP) {
        socket.destroy();
        return;
      }
      perIP.set(ip, n + 1);
      socket.once('close', () => {
        const left = (perIP.get(ip) ?? 1) - 1;
        if (left <= 0) perIP.delete(ip);
        else perIP.set(ip, left);
      });
    });
  }
}

export interface MalformedRequestAnswer {
  code: number;
  statusText: string;
  reason: string;
  message: string;
}

/** What to answer a request node's HTTP parser refused, by its parser error code. */
export function malformedRequestAnswer(err: { code?: string }): MalformedRequestAnswer {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { code: 431, statusText: 'Request Header Fields Too Large', reason: 'RequestHeaderFieldsTooLarge', message: 'request header fields too large' };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { code: 408, statusText: 'Request Timeout', reason: 'Timeout', message: 'request timed out' };
  }
  return { code: 400, statusText: 'Bad Request', reason: 'BadRequest', message: 'malformed HTTP request' };
}
