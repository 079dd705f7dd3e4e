/**
 * Abuse limits applied to each request right after authentication (upstream's
 * WithMaxInFlightLimit and WithTimeoutForNonLongRunningRequests, plus a per-user watch cap):
 * - at most `maxRequestsInFlight` reads and `maxMutatingRequestsInFlight` writes at once,
 *   long-running requests exempt → 429 with Retry-After: 1;
 * - non-long-running requests answered within `requestTimeoutMs` (or a shorter `?timeout=`) → 504;
 * - at most `maxWatchesPerUser` open watches per user → 429.
 * Members of system:masters are never throttled (upstream: a super-user always gets an answer).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { UserInfo } from '../authn/types.js';
import { sendStatusError } from '../negotiate.js';
import type { RequestInfo } from '../request-info.js';
import { isLongRunning, isMutating, isWatchRequest } from './long-running.js';

export interface RequestLimitOptions {
  /** Upstream default 400; 0 = unlimited. */
  maxRequestsInFlight?: number;
  /** Upstream default 200; 0 = unlimited. */
  maxMutatingRequestsInFlight?: number;
  /** Upstream default 60 s; 0 = none. */
  requestTimeoutMs?: number;
  /** 0 = unlimited. */
  maxWatchesPerUser?: number;
}

export const DEFAULT_REQUEST_LIMITS: Required<RequestLimitOptions> = {
  maxRequestsInFlight: 400,
  maxMutatingRequestsInFlight: 200,
  requestTimeoutMs: 60_000,
  maxWatchesPerUser: 1000,
};

export function tooManyRequests(message = 'Too many requests, please try again later.'): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds: 1 });
}

export function requestTimedOut(): StatusError {
  return new StatusError(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded', {});
}

export type RequestFilter = (req: IncomingMessage, res: ServerResponse, user: UserInfo, info: RequestInfo, url: URL) => void;

export class RequestLimits {
  private readonly opts: Required<RequestLimitOptions>;
  private readonly inFlight = { reads: 0, writes: 0 };
  private readonly watchesByUser = new Map<string, number>();

  constructor(
    opts: RequestLimitOptions,
    private readonly clock: Clock,
  ) {
    this.opts = { ...DEFAULT_REQUEST_LIMITS, ...opts };
  }

  /** Requests currently counted against the in-flight limits (for tests and metrics). */
  counts(): { reads: number; writes: number; watches: number } {
    let watches = 0;
    for (const n of this.watchesByUser.values()) watches += n;
    return { ...this.inFlight, watches };
  }

  /** For ApiServerConfig.requestFilters: throws a 429 StatusError to refuse the request. */
  readonly filter: RequestFilter = (req, res, user, info, url) => {
    const exempt = user.groups.includes('system:masters');
    if (isLongRunning(info, url.searchParams)) {
      if (isWatchRequest(info, url.searchParams) && !exempt) this.countWatch(res, user.name);
      return;
    }
    if (!exempt) this.countInFlight(res, isMutating(req.method ?? 'GET'));
    this.startTimeout(res, url.searchParams.get('timeout'));
  };

  private countInFlight(res: ServerResponse, mutating: boolean): void {
    const field = mutating ? 'writes' : 'reads';
    const max = mutating ? this.opts.maxMutatingRequestsInFlight : this.opts.maxRequestsInFlight;
    if (max > 0 && this.inFlight[field] >= max) throw tooManyRequests();
    this.inFlight[field]++;
    onDone(res, () => this.inFlight[field]--);
  }

  private countWatch(res: ServerResponse, name: string): void {
    const max = this.opts.maxWatchesPerUser;
    const n = this.watchesByUser.get(name) ?? 0;
    if (max > 0 && n >= max) throw tooManyRequests(`Too many requests, please try again later. (user ${name} has ${n} open watches, the limit is ${max})`);
    this.watchesByUser.set(name, n + 1);
    onDone(res, () => {
      const left = (this.watchesByUser.get(name) ?? 1) - 1;
      if (left <= 0) this.watchesByUser.delete(name);
      else this.watchesByUser.set(name, left);
    });
  }

  private startTimeout(res: ServerResponse, requested: string | null): void {
    let ms = this.opts.requestTimeoutMs;
    const asked = requested ? parseDuration(requested) : undefined;
    if (asked !== undefined && asked > 0 && (ms === 0 || asked < ms)) ms = asked;
    if (ms <= 0) return;
    const timer = this.clock.setTimeout(() => {
      if (res.headersSent || res.writableEnded) return;
      sendStatusError(res, requestTimedOut());
      silence(res);
    }, ms);
    onDone(res, () => timer.cancel());
  }
}

/** Runs `fn` once when the response is finished or its connection closed. */
function onDone(res: ServerResponse, fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  res.once('finish', once);
  res.once('close', once);
}

/**
 * After a timeout answer the handler may still run to completion; its late writes must go
 * nowhere instead of corrupting the connection (upstream swaps in a writer that drops them).
 */
function silence(res: ServerResponse): void {
  const r = res as unknown as Record<string, unknown>;
  r.writeHead = () => res;
  r.setHeader = () => res;
  r.write = () => true;
  r.end = () => res;
  r.destroy = () => res;
}

/** Go durations as clients send them in `?timeout=` (`30s`, `1m30s`, `500ms`). */
export function parseDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms']!;
    consumed += m[0].length;
  }
  return consumed === s.length && consumed > 0 ? total : undefined;
}
