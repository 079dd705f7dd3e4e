/**
 * How the client reaches an API server: over HTTPS with its own credentials, or in process
 * over an in-memory connection to the same HTTP handler (no TCP, no TLS, same code path).
 */
import { Agent as HttpAgent, request as httpRequest, createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Duplex } from 'node:stream';

export interface TransportRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as a stream; callers read it fully or line by line (watches). */
  stream: IncomingMessage;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  close(): void;
}

function doRequest(
  send: typeof httpRequest,
  base: { protocol: string; hostname: string; port: number },
  agent: HttpAgent,
  req: TransportRequest,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const r = send(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}) },
        agent,
        signal: req.signal,
      },
      (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, stream: res }),
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

export interface HttpsCredentials {
  /** `https://host:port` */
  server: string;
  ca: string;
  cert?: string;
  key?: string;
  token?: string;
}

export class HttpsTransport implements Transport {
  private readonly agent: HttpsAgent;
  private readonly base: { protocol: string; hostname: string; port: number };
  constructor(private readonly creds: HttpsCredentials) {
    const u = new URL(creds.server);
    this.base = { protocol: 'https:', hostname: u.hostname, port: Number(u.port || 443) };
    this.agent = new HttpsAgent({ keepAlive: true, maxSockets: 64, ca: creds.ca, cert: creds.cert, key: creds.key });
  }
  request(req: TransportRequest): Promise<TransportResponse> {
    const headers = { ...req.headers };
    if (this.creds.token) headers.Authorization = `Bearer ${this.creds.token}`;
    return doRequest(httpsRequest as unknown as typeof httpRequest, this.base, this.agent as unknown as HttpAgent, { ...req, headers });
  }
  close(): void {
    this.agent.destroy();
  }
}

/** One side of an in-memory duplex pair. */
class PipeEnd extends Duplex {
  other!: PipeEnd;
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.other.push(chunk);
    cb();
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.other.push(null);
    cb();
  }
  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    if (!this.other.destroyed) this.other.push(null);
    cb(err);
  }
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function pipePair(): [PipeEnd, PipeEnd] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.other = b;
  b.other = a;
  return [a, b];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const IN_PROCESS = Symbol('skiff.inProcess');

/** True for requests that arrived through an InProcessTransport (never over the network). */
export function isInProcessRequest(req: IncomingMessage): boolean {
  return (req as IncomingMessage & { [IN_PROCESS]?: boolean })[IN_PROCESS] === true;
}

/**
 * In-process transport: an HTTP/1.1 client and server joined by in-memory pipes. Identity
 * travels in the `X-Skiff-In-Process-User` header, which only this transport can set (the
 * HTTPS listener never sees these connections).
 */
export class InProcessTransport implements Transport {
  private readonly server: Server;
  private readonly agent: HttpAgent;
  private readonly sockets = new Set<PipeEnd>();
  constructor(handler: Handler, private readonly identity?: { user: string; groups: string[] }) {
    this.server = createServer((req, res) => {
      (req as IncomingMessage & { [IN_PROCESS]?: boolean })[IN_PROCESS] = true;
      handler(req, res);
    });
    this.server.keepAliveTimeout = 0;
    this.server.requestTimeout = 0;
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
    (agent as unknown as { createConnection: () => Duplex }).createConnection = () => {
      const [client, server] = pipePair();
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      this.server.emit('connection', server);
      return client;
    };
    this.agent = agent;
  }
  request(req: TransportRequest): Promise<TransportResponse> {
    const headers = { ...req.headers };
    if (this.identity) {
      headers['X-Skiff-In-Process-User'] = this.identity.user;
      headers['X-Skiff-In-Process-Groups'] = this.identity.groups.join(',');
    }
    return doRequest(httpRequest, { protocol: 'http:', hostname: 'in-process', port: 80 }, this.agent, { ...req, headers });
  }
  close(): void {
    this.agent.destroy();
    for (const s of this.sockets) s.destroy();
  }
}
