/**
 * Audit logging (upstream's --audit-policy-file / --audit-log-path): one JSON line per stage
 * of each request the policy selects, as audit.k8s.io/v1 Event objects.
 *
 * `auditRequest` is called by the API server right after authentication, before anything may
 * refuse the request, so that refusals (403, 429) are audited too. It taps the request body
 * (Request level and above) and the response (status code; body at RequestResponse) without
 * changing how handlers read or write them.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../base/clock.js';
import type { UserInfo } from '../authn/types.js';
import { nonResourceAttributes, resourceAttributes } from '../authz/attributes.js';
import type { RequestInfo } from '../request-info.js';
import { decide, levelAtLeast, type Level, type Policy, type Stage } from './policy.js';

/** Bodies larger than this are left out of events (upstream also truncates huge objects). */
const MAX_CAPTURED_BYTES = 1024 * 1024;

export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: Level;
  auditID: string;
  stage: Stage;
  requestURI: string;
  verb: string;
  user: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: { resource: string; namespace?: string; name?: string; apiGroup?: string; apiVersion: string; subresource?: string };
  responseStatus?: { metadata: Record<string, never>; code: number; status?: string; reason?: string; message?: string };
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

export interface AuditLoggerOptions {
  policy: Policy;
  /** A file path, or `-` for standard output. */
  path: string;
  clock: Clock;
}

export class AuditLogger {
  private readonly out: WriteStream | NodeJS.WriteStream;

  constructor(private readonly opts: AuditLoggerOptions) {
    this.out = opts.path === '-' ? process.stdout : createWriteStream(opts.path, { flags: 'a', mode: 0o600 });
  }

  /** For ApiServerConfig.requestFilters: starts auditing one request. */
  readonly auditRequest = (req: IncomingMessage, res: ServerResponse, user: UserInfo, info: RequestInfo, url: URL): void => {
    const method = req.method ?? 'GET';
    const isWatch = info.type === 'resource' && (info.watchPath || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1');
    const attrs = info.type === 'resource' ? resourceAttributes(user, method, info, isWatch) : nonResourceAttributes(user, method, url.pathname);
    const { level, omitStages } = decide(this.opts.policy, attrs);
    if (level === 'None') return;
    const auditID = String(req.headers['audit-id'] ?? '') || randomUUID();
    res.setHeader('Audit-Id', auditID);
    const received = this.timestamp();
    const base: AuditEvent = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level,
      auditID,
      stage: 'RequestReceived',
      requestURI: req.url ?? '/',
      verb: attrs.verb,
      user: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) },
      sourceIPs: sourceIPs(req),
      ...(req.headers['user-agent'] ? { userAgent: String(req.headers['user-agent']) } : {}),
      ...(info.type === 'resource'
        ? {
            objectRef: {
              resource: info.resource,
              ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
              ...(info.name ? { name: info.name } : {}),
              ...(info.group ? { apiGroup: info.group } : {}),
              apiVersion: info.version,
              ...(info.subresource ? { subresource: info.subresource } : {}),
            },
          }
        : {}),
      requestReceivedTimestamp: received,
      stageTimestamp: received,
    };
    const emit = (stage: Stage, extra: Partial<AuditEvent> = {}) => {
      if (omitStages.includes(stage)) return;
      this.write({ ...base, ...extra, stage, stageTimestamp: this.timestamp() });
    };
    emit('RequestReceived');

    const requestBody = levelAtLeast(level, 'Request') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? tap(req) : undefined;
    const responseBody = captureResponse(res, levelAtLeast(level, 'RequestResponse') && !isWatch);
    if (isWatch || (info.type === 'resource' && info.subresource && ['exec', 'attach', 'portforward', 'proxy'].includes(info.subresource))) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
        const r = writeHead.apply(this, args);
        emit('ResponseStarted', { responseStatus: { metadata: {}, code: res.statusCode } });
        return r;
      } as ServerResponse['writeHead'];
    }
    let done = false;
    const complete = () => {
      if (done) return;
      done = true;
      const body = responseBody();
      const status = responseStatus(res.statusCode, body);
      const extra: Partial<AuditEvent> = { responseStatus: status };
      const reqObj = requestBody ? parseJson(requestBody()) : undefined;
      if (reqObj !== undefined) extra.requestObject = reqObj;
      if (levelAtLeast(level, 'RequestResponse')) {
        const resObj = parseJson(body);
        if (resObj !== undefined) extra.responseObject = resObj;
      }
      emit('ResponseComplete', extra);
    };
    res.once('finish', complete);
    res.once('close', complete);
  };

  close(): Promise<void> {
    if (this.out === process.stdout) return Promise.resolve();
    return new Promise((resolve) => (this.out as WriteStream).end(() => resolve()));
  }

  private write(e: AuditEvent): void {
    this.out.write(JSON.stringify(e) + '\n');
  }

  /** RFC 3339 with microseconds, as upstream's MicroTime prints. */
  private timestamp(): string {
    return new Date(this.opts.clock.now()).toISOString().replace('Z', '000Z');
  }
}

function sourceIPs(req: IncomingMessage): string[] {
  const ips: string[] = [];
  const xff = req.headers['x-forwarded-for'];
  if (typeof xff === 'string') ips.push(...xff.split(',').map((s) => s.trim()).filter(Boolean));
  const remote = req.socket?.remoteAddress?.replace(/^::ffff:/, '');
  if (remote && !ips.includes(remote)) ips.push(remote);
  return ips.length ? ips : ['127.0.0.1'];
}

/** Observes the body chunks the handler reads, without consuming them or changing flow mode. */
function tap(req: IncomingMessage): () => Buffer | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  const emit = req.emit;
  req.emit = function (this: IncomingMessage, event: string | symbol, ...args: unknown[]) {
    if (event === 'data' && size <= MAX_CAPTURED_BYTES) {
      const c = args[0] as Buffer;
      size += c.length;
      chunks.push(c);
    }
    return emit.call(this, event, ...args);
  } as IncomingMessage['emit'];
  return () => (size > MAX_CAPTURED_BYTES || size === 0 ? undefined : Buffer.concat(chunks));
}

/** Captures the response body when wanted, and always that of an error (its Status feeds responseStatus). */
function captureResponse(res: ServerResponse, wanted: boolean): () => Buffer | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (c: unknown) => {
    if (c === undefined || c === null || typeof c === 'function' || size > MAX_CAPTURED_BYTES) return;
    if (!wanted && res.statusCode < 400) return;
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
    size += b.length;
    chunks.push(b);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return () => (size > MAX_CAPTURED_BYTES || size === 0 ? undefined : Buffer.concat(chunks));
}

function parseJson(b: Buffer | undefined): unknown {
  if (!b) return undefined;
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}

function responseStatus(code: number, body: Buffer | undefined): AuditEvent['responseStatus'] {
  const out: NonNullable<AuditEvent['responseStatus']> = { metadata: {}, code };
  if (code >= 400) {
    const s = parseJson(body) as { kind?: string; status?: string; reason?: string; message?: string } | undefined;
    if (s?.kind === 'Status') {
      if (s.status) out.status = s.status;
      if (s.reason) out.reason = s.reason;
      if (s.message) out.message = s.message;
    }
  }
  return out;
}
