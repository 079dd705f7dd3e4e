/**
 * Proxies a request to its connect target: plain requests through http(s).request with the
 * body and answer streamed (a following log stays open), upgrade requests (exec, attach,
 * port-forward) by replaying the request on a fresh connection and piping raw bytes both ways
 * from then on, whatever the backend answers (a refusal reaches the client unchanged, so
 * kubectl's WebSocket→SPDY fallback sees the backend's own status).
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { StatusError } from '../../api/status.js';
import type { ConnectTarget, KubeletClientConfig } from './connect-target.js';

/** Never forwarded: hop-by-hop headers and the caller's own credentials. */
const DROPPED = /^(host|authorization|connection|keep-alive|proxy-connection|transfer-encoding|te|trailer|upgrade|impersonate-.*)$/i;

function tlsOptions(t: ConnectTarget, kubelet: KubeletClientConfig | undefined) {
  if (!t.kubelet) return { rejectUnauthorized: false };
  if (!kubelet) throw new StatusError(503, 'ServiceUnavailable', 'no kubelet client credentials configured');
  // NOTE: the chain is verified against the cluster CA; the host name is not (kubelet
  // serving certificates name the node, callers use its address).
  return { cert: kubelet.cert, key: kubelet.key, ca: kubelet.ca, checkServerIdentity: () => undefined };
}

function forwardedHeaders(req: IncomingMessage, keepUpgrade: boolean): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (DROPPED.test(name) && !(keepUpgrade && /^(connection|upgrade)$/i.test(name))) continue;
    out.push([name, req.rawHeaders[i + 1]]);
  }
  return out;
}

async function readLimited(res: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    chunks.push(c as Buffer);
    n += (c as Buffer).length;
    if (n >= limit) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').trim();
}

/** Upstream's GenericHttpResponseChecker: the backend's error text becomes the Status message. */
function statusFromBackend(code: number, text: string): StatusError {
  if (code === 400) return new StatusError(400, 'BadRequest', text);
  if (code === 500) return new StatusError(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
  if (code === 403) return new StatusError(403, 'Forbidden', text);
  if (code === 404) return new StatusError(404, 'NotFound', text);
  return new StatusError(code, '', text || `the server responded with the status code ${code} but did not return more information`);
}

export function proxyRequest(req: IncomingMessage, res: ServerResponse, t: ConnectTarget, kubelet: KubeletClientConfig | undefined): Promise<void> {
  if (t.empty) {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return Promise.resolve();
  }
  const headers: OutgoingHttpHeaders = {};
  for (const [k, v] of forwardedHeaders(req, false)) {
    const prev = headers[k];
    headers[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [String(prev)]), v];
  }
  const opts = { method: req.method, host: t.host, port: t.port, path: t.path, headers, ...(t.protocol === 'https:' ? tlsOptions(t, kubelet) : {}) };
  return new Promise<void>((resolve, reject) => {
    const out = (t.protocol === 'https:' ? httpsRequest : httpRequest)(opts, (back) => {
      const code = back.statusCode ?? 502;
      if (t.checkResponse && (code < 200 || code > 206)) {
        readLimited(back, 50_000).then((text) => reject(statusFromBackend(code, text)), reject);
        return;
      }
      const h = { ...back.headers };
      delete h.connection;
      delete h['transfer-encoding'];
      delete h['keep-alive'];
      res.writeHead(code, h);
      res.flushHeaders();
      back.pipe(res);
      back.on('end', resolve);
      back.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    res.on('close', () => out.destroy());
    out.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        return resolve();
      }
      reject(new StatusError(503, 'ServiceUnavailable', `error trying to reach service: ${err.message}`));
    });
    req.pipe(out);
  });
}

/** Pipes an upgrade request to the target; resolves once connected (errors before that reject). */
export function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, t: ConnectTarget, kubelet: KubeletClientConfig | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onConnect = () => {
      const lines = [`${req.method ?? 'GET'} ${t.path} HTTP/1.1`, `Host: ${t.host}:${t.port}`, ...forwardedHeaders(req, true).map(([k, v]) => `${k}: ${v}`)];
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      connected = true;
      resolve();
    };
    let connected = false;
    const upstream =
      t.protocol === 'https:' ? tlsConnect({ host: t.host, port: t.port, ...tlsOptions(t, kubelet), ALPNProtocols: ['http/1.1'] }, onConnect) : netConnect(t.port, t.host, onConnect);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', (err) => {
      if (!connected) return reject(new StatusError(503, 'ServiceUnavailable', `error dialing backend: ${err.message}`));
      done();
    });
    upstream.on('close', () => connected && done());
    client.on('error', done);
    client.on('close', done);
  });
}
