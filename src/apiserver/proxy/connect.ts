/**
 * Entry points for connect requests: plain ones arrive through the resource dispatcher
 * (authenticated and authorized there); upgrade requests arrive as the HTTPS server's
 * 'upgrade' events and are authenticated and authorized here the same way.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest } from '../../api/status.js';
import { toStatusError } from '../errors.js';
import { impersonate } from '../authn/impersonation.js';
import type { UserInfo } from '../authn/types.js';
import type { Attributes } from '../authz/types.js';
import { resourceAttributes } from '../authz/attributes.js';
import type { RequestContext, ServerParts } from '../handlers/context.js';
import { rejectDotSegments } from '../limits/path-segments.js';
import { parseRequestPath } from '../request-info.js';
import { proxyRequest, proxyUpgrade } from './backend-proxy.js';
import { connectTarget, isConnectRequest, type KubeletClientConfig } from './connect-target.js';

export { isConnectRequest };

export async function handleConnect(ctx: RequestContext, kubelet: KubeletClientConfig | undefined): Promise<void> {
  const t = await connectTarget(ctx.parts, ctx.info, ctx.query);
  await proxyRequest(ctx.req, ctx.res, t, kubelet);
}

export interface UpgradeHost extends ServerParts {
  authenticate(req: IncomingMessage): Promise<UserInfo>;
  authorize(attrs: Attributes): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function writeStatus(socket: Duplex, err: unknown): void {
  const se = toStatusError(err);
  const body = JSON.stringify(se.toStatus());
  const text = STATUS_TEXT[se.httpCode] ?? 'Error';
  socket.end(`HTTP/1.1 ${se.httpCode} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Streaming subresources opened with GET (WebSocket) also need `create`, as upstream authorizes them since 1.30. */
const CREATE_ON_GET = new Set(['exec', 'attach', 'portforward']);

export async function handleUpgradeRequest(host: UpgradeHost, kubelet: KubeletClientConfig | undefined, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  socket.on('error', () => socket.destroy());
  try {
    rejectDotSegments(req.url ?? '/');
    const url = new URL(req.url ?? '/', 'https://localhost');
    const info = parseRequestPath(url.pathname);
    const user = await impersonate(req, await host.authenticate(req), (a) => host.authorize(a));
    if (info.type !== 'resource' || !isConnectRequest(info)) throw badRequest('this endpoint does not support upgrade requests');
    const method = req.method ?? 'GET';
    await host.authorize(resourceAttributes(user, method, info, false));
    if (method === 'GET' && info.resource === 'pods' && CREATE_ON_GET.has(info.subresource!)) await host.authorize(resourceAttributes(user, 'POST', info, false));
    const t = await connectTarget(host, info, url.searchParams);
    await proxyUpgrade(req, socket, head, t, kubelet);
  } catch (err) {
    const se = toStatusError(err);
    if (se.httpCode >= 500) host.log.error('upgrade request failed', { url: req.url, error: err });
    writeStatus(socket, se);
  }
}
