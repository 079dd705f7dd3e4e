/**
 * Raw HTTPS client for the bad-input and fuzz suites: sends exactly the bytes, method, path
 * and headers it is given (no client library would send malformed requests), authenticating
 * with the client certificate from the test server's kubeconfig.
 */
import { Agent, request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawClient {
  send(req: RawRequest): Promise<RawResponse>;
  /** JSON convenience for setup steps; throws on a non-2xx answer. */
  json(method: string, path: string, body?: unknown): Promise<Record<string, any>>;
  close(): void;
}

interface Kubeconfig {
  clusters: { cluster: { 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

export async function rawClient(kubeconfigPath: string, port: number, maxSockets = 8): Promise<RawClient> {
  const kc = parse(await readFile(kubeconfigPath, 'utf8')) as Kubeconfig;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
    cert: b64(kc.users[0].user['client-certificate-data']),
    key: b64(kc.users[0].user['client-key-data']),
  });
  const send = (r: RawRequest) =>
    new Promise<RawResponse>((resolve, reject) => {
      const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
      const headers: Record<string, string> = { ...r.headers };
      if (body) headers['Content-Length'] = String(body.length);
      const req = httpsRequest({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const json = async (method: string, path: string, body?: unknown) => {
    const res = await send({
      method,
      path,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.body.toString('utf8')}`);
    return JSON.parse(res.body.toString('utf8')) as Record<string, any>;
  };
  return { send, json, close: () => agent.destroy() };
}

/** Describes a request for failure reports without dumping megabytes of body. */
export function describeRequest(r: RawRequest): string {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const preview = body.length > 200 ? `${JSON.stringify(body.subarray(0, 200).toString('latin1'))}… (${body.length} bytes)` : JSON.stringify(body.toString('latin1'));
  return `${r.method} ${r.path.length > 300 ? `${r.path.slice(0, 300)}… (${r.path.length} chars)` : r.path} headers=${JSON.stringify(r.headers ?? {})} body=${preview}`;
}
