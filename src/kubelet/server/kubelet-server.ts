/**
 * The kubelet's HTTPS server (port 10250): container logs, and exec/attach/portForward by
 * passing the upgraded connection to containerd's stream server. Callers present a client
 * certificate from the cluster CA; only the apiserver's kubelet client and system:masters may
 * use these endpoints (SubjectAccessReview-based authorization comes later).
 */
import { createServer, type Server } from 'node:https';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { CriClient } from '../cri/cri-client.js';
import { containerAttempts, readySandboxId, runningContainer, StreamingError } from './container-lookup.js';
import { streamContainerLog } from './container-logs.js';
import { pipeToStreamServer, refuseUpgrade } from './stream-pipe.js';
import { resourceMetricsText } from '../stats/resource-metrics.js';
import { StatsProvider } from '../stats/stats-provider.js';

export const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';

export interface KubeletTLS {
  cert: string;
  key: string;
  /** Verifies callers' client certificates (the cluster CA). */
  clientCA: string;
}

export interface KubeletServerOptions {
  cri: CriClient;
  clock: Clock;
  log: Logger;
  tls: KubeletTLS;
  port: number;
  address?: string;
  /** The node's name in `/stats/summary` (the host name when absent). */
  nodeName?: string;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

/**
 * WebSocket subprotocols containerd 1.6's stream server negotiates. kubectl ≥ 1.30 offers only
 * `v5.channel.k8s.io` (exec/attach) or `SPDY/3.1+portforward.k8s.io` (port-forward, 1.31+);
 * refusing those upgrades up front makes kubectl fall back to SPDY, which containerd speaks.
 */
const STREAM_SERVER_WEBSOCKET_PROTOCOLS = new Set([
  'channel.k8s.io',
  'base64.channel.k8s.io',
  'v4.channel.k8s.io',
  'v4.base64.channel.k8s.io',
  'portforward.k8s.io',
  'base64.portforward.k8s.io',
]);

function callerAllowed(req: IncomingMessage): boolean {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return false;
  const subject = socket.getPeerCertificate()?.subject;
  if (!subject) return false;
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return list(subject.CN).includes(APISERVER_KUBELET_CLIENT) || list(subject.O).includes('system:masters');
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new StreamingError(400, `invalid ${name} ${JSON.stringify(v)}`);
  return n;
}

function segments(pathname: string): string[] {
  return pathname.split('/').filter(Boolean).map(decodeURIComponent);
}

export async function startKubeletServer(o: KubeletServerOptions): Promise<KubeletServer> {
  const { cri, clock, log } = o;
  const stats = new StatsProvider({ cri, clock, nodeName: o.nodeName ?? hostname() });

  async function containerLogs(req: IncomingMessage, res: ServerResponse, url: URL, [ns, pod, container]: string[]): Promise<void> {
    const q = url.searchParams;
    const previous = boolParam(q, 'previous');
    const attempts = await containerAttempts(cri, ns, pod, container);
    const target = previous ? attempts[1] : attempts[0];
    if (!target) {
      throw new StreamingError(400, previous ? `previous terminated container "${container}" in pod "${pod}" not found` : `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    }
    if (!previous && target.state === 'CONTAINER_CREATED') throw new StreamingError(400, `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    const status = (await cri.containerStatus(target.id)).status;
    if (!status?.log_path) throw new StreamingError(400, `container "${container}" in pod "${pod}" is not available`);
    const sinceSeconds = intParam(q, 'sinceSeconds');
    const sinceTime = q.get('sinceTime');
    const sinceMs = sinceSeconds !== undefined ? clock.now() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined;
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    await streamContainerLog(status.log_path, res, {
      timestamps: boolParam(q, 'timestamps'),
      sinceMs: Number.isNaN(sinceMs) ? undefined : sinceMs,
      tailLines: intParam(q, 'tailLines'),
      limitBytes: intParam(q, 'limitBytes'),
      follow: boolParam(q, 'follow') && !previous,
      running: async () => (await cri.containerStatus(target.id)).status?.state === 'CONTAINER_RUNNING',
      clock,
      signal: ac.signal,
    });
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!callerAllowed(req)) throw new StreamingError(403, 'Forbidden');
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const [kind, ...rest] = segments(url.pathname);
      if (kind === 'containerLogs' && rest.length === 3 && (req.method === 'GET' || req.method === 'HEAD')) return await containerLogs(req, res, url, rest);
      if (kind === 'healthz' && rest.length === 0) return void res.end('ok');
      if (kind === 'stats' && rest.join('/') === 'summary' && req.method === 'GET') {
        const body = JSON.stringify(await stats.summary());
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      }
      if (kind === 'metrics' && rest.join('/') === 'resource' && req.method === 'GET') {
        const body = resourceMetricsText(await stats.summary().catch(() => undefined));
        return void res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
      }
      if (['exec', 'attach', 'portForward'].includes(kind)) throw new StreamingError(400, 'Upgrade request required');
      throw new StreamingError(404, '404 page not found');
    } catch (err) {
      const se = err instanceof StreamingError ? err : new StreamingError(500, String((err as Error)?.message ?? err));
      if (se.code >= 500) log.error('kubelet request failed', { url: req.url, error: err });
      if (!res.headersSent) {
        res.writeHead(se.code, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(se.message);
      } else res.destroy();
    }
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      if (!callerAllowed(req)) throw new StreamingError(403, 'Forbidden');
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const q = url.searchParams;
      const [kind, ...rest] = segments(url.pathname);
      if (String(req.headers.upgrade ?? '').toLowerCase() === 'websocket') {
        const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
        if (!offered.some((p) => STREAM_SERVER_WEBSOCKET_PROTOCOLS.has(p))) {
          throw new StreamingError(400, `unable to upgrade: none of the requested WebSocket subprotocols is supported: [${offered.join(' ')}]`);
        }
      }
      let streamUrl: string;
      if ((kind === 'exec' || kind === 'attach') && rest.length >= 3) {
        const [ns, pod, container] = rest;
        const c = await runningContainer(cri, ns, pod, container);
        const io = { stdin: boolParam(q, 'input') || boolParam(q, 'stdin'), stdout: boolParam(q, 'output') || boolParam(q, 'stdout'), stderr: boolParam(q, 'error') || boolParam(q, 'stderr'), tty: boolParam(q, 'tty') };
        streamUrl = kind === 'exec' ? await cri.exec({ container_id: c.id, cmd: q.getAll('command'), ...io }) : await cri.attach({ container_id: c.id, ...io });
      } else if (kind === 'portForward' && rest.length >= 2) {
        const ports = q.getAll('port').map(Number).filter((p) => Number.isInteger(p) && p > 0);
        streamUrl = await cri.portForward(await readySandboxId(cri, rest[0], rest[1]), ports);
      } else throw new StreamingError(404, '404 page not found');
      pipeToStreamServer(req, socket, head, streamUrl);
    } catch (err) {
      const se = err instanceof StreamingError ? err : new StreamingError(500, String((err as Error)?.message ?? err));
      if (se.code >= 500) log.error('kubelet stream request failed', { url: req.url, error: err });
      const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[se.code as 400] ?? 'Internal Server Error';
      refuseUpgrade(socket, se.code, text, se.message);
    }
  }

  const server: Server = createServer(
    { cert: o.tls.cert, key: o.tls.key, ca: o.tls.clientCA, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (req, res) => void handle(req, res),
  );
  // Upgraded connections leave the server's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void upgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('kubelet server listening', { port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of upgraded) s.destroy();
      }),
  };
}
