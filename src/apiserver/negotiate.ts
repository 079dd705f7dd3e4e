/**
 * Content negotiation: which representation a client asked for (JSON, YAML, a meta.k8s.io
 * Table, PartialObjectMetadata, aggregated discovery) and how request bodies are decoded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDocument, stringify } from 'yaml';
import { decodeKubernetesProtobuf } from '../api/protobuf/decode.js';
import { ProtobufDecodeError } from '../api/protobuf/errors.js';
import { badRequest, notAcceptable, StatusError, tooLarge, unsupportedMediaType } from '../api/status.js';

export type Representation =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1' }
  | { kind: 'discovery'; version: 'v2' | 'v2beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((part) => {
      const [type, ...ps] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of ps) {
        const i = p.indexOf('=');
        if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"|"$/g, '');
      }
      return { type: type.toLowerCase(), params };
    })
    .filter((m) => m.type);
}

const ACCEPTED = 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/**
 * Picks the first acceptable representation in the client's order. `allowTable` and
 * `allowDiscovery` say what the endpoint can produce besides JSON/YAML.
 */
export function negotiate(accept: string | undefined, opts: { table?: boolean; discovery?: boolean } = {}): Representation {
  for (const m of parseAccept(accept)) {
    const isJson = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    if (m.params.as) {
      if (m.type !== 'application/json') continue;
      const { as, g, v } = m.params;
      if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1') && opts.table) return { kind: 'table', version: v };
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1') && opts.table) {
        return { kind: 'partial', version: v };
      }
      if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1') && opts.discovery) {
        return { kind: 'discovery', version: v };
      }
      continue;
    }
    if (isJson) return { kind: 'json' };
    if (m.type === 'application/yaml') return { kind: 'yaml' };
  }
  throw notAcceptable(ACCEPTED);
}

export function send(res: ServerResponse, code: number, body: unknown, rep: Representation = { kind: 'json' }, extraHeaders?: Record<string, string | string[]>): void {
  if (res.headersSent || res.destroyed) return;
  let text: string;
  let type: string;
  if (rep.kind === 'yaml') {
    text = stringify(body);
    type = 'application/yaml';
  } else {
    text = typeof body === 'string' ? body : JSON.stringify(body);
    type = 'application/json';
    if (rep.kind === 'discovery') type = `application/json;g=apidiscovery.k8s.io;v=${rep.version};as=APIGroupDiscoveryList`;
  }
  res.writeHead(code, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...extraHeaders,
  });
  res.end(text);
}

export function sendStatusError(res: ServerResponse, err: StatusError, rep: Representation = { kind: 'json' }): void {
  const r = rep.kind === 'yaml' ? rep : ({ kind: 'json' } as Representation);
  const headers: Record<string, string> = {};
  if (err.details?.retryAfterSeconds) headers['Retry-After'] = String(err.details.retryAfterSeconds);
  send(res, err.httpCode, err.toStatus(), r, headers);
}

/** Upstream's limit on request bodies (apiserver MaxRequestBodyBytes). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(`Request entity too large: limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(`Request entity too large: limit is ${limit}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf' | 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch';

export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (type) {
    case '':
    case 'application/json':
      return 'json';
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return 'yaml';
    case 'application/vnd.kubernetes.protobuf':
      return 'protobuf';
    case 'application/json-patch+json':
      return 'json-patch';
    case 'application/merge-patch+json':
      return 'merge-patch';
    case 'application/strategic-merge-patch+json':
      return 'strategic-merge-patch';
    case 'application/apply-patch+yaml':
      return 'apply-patch';
    default:
      throw unsupportedMediaType();
  }
}

const MAX_DEPTH = 10000;

function checkDepth(text: string): void {
  // JSON.parse recurses natively; refuse absurd nesting before it can exhaust the stack.
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) throw badRequest('json: exceeded max depth');
    } else if (c === 125 || c === 93) depth--;
  }
}

/** Decodes a JSON, YAML or Kubernetes-protobuf body into a value; malformed input → 400. */
export function decodeBody(buf: Buffer, format: 'json' | 'yaml' | 'protobuf'): unknown {
  if (format === 'protobuf') {
    try {
      return decodeKubernetesProtobuf(buf).object;
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw badRequest(err.message);
      throw err;
    }
  }
  const text = buf.toString('utf8');
  if (format === 'json') {
    checkDepth(text);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  }
  checkDepth(text);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) throw badRequest(`error converting YAML to JSON: ${doc.errors[0].message.split('\n')[0]}`);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
  }
}

/** Decodes an object body (JSON, YAML or protobuf) by its Content-Type; other types → 415. */
export function decodeObjectBody(buf: Buffer, contentType: string | undefined): unknown {
  const fmt = bodyFormat(contentType);
  if (fmt !== 'json' && fmt !== 'yaml' && fmt !== 'protobuf') throw unsupportedMediaType();
  return decodeBody(buf, fmt);
}
