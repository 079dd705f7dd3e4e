/**
 * httpGet probes as upstream's prober runs them: a GET with `User-Agent: kube-probe/<minor>`
 * (unless the probe sets one), HTTPS without certificate verification, success for 200–399.
 */
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../base/clock.js';
import type { ProbeOutcome } from './probe-types.js';

export const PROBE_USER_AGENT = 'kube-probe/1.32';

export interface HttpTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  headers: { name: string; value: string }[];
}

/** `host:port` with brackets around IPv6 addresses, as in a URL. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function httpProbe(t: HttpTarget, timeoutSeconds: number, clock: Clock): Promise<ProbeOutcome> {
  const path = t.path.startsWith('/') ? t.path : `/${t.path}`;
  const url = `${t.scheme}://${hostPort(t.host, t.port)}${path}`;
  const headers: Record<string, string> = {};
  for (const h of t.headers) headers[h.name] = h.value;
  const lower = new Set(Object.keys(headers).map((k) => k.toLowerCase()));
  if (!lower.has('user-agent')) headers['User-Agent'] = PROBE_USER_AGENT;
  if (!lower.has('accept')) headers.Accept = '*/*';
  const mod = t.scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      timer.cancel();
      resolve(o);
    };
    const req = mod.request(
      { host: t.host, port: t.port, path, method: 'GET', headers, rejectUnauthorized: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          // Upstream keeps at most 10 KiB of the body for the event.
          if (size < 10 * 1024) chunks.push(d);
          size += d.length;
        });
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).subarray(0, 10 * 1024).toString('utf8');
          if (code >= 200 && code < 400) finish({ ok: true, output: body });
          else finish({ ok: false, output: `HTTP probe failed with statuscode: ${code}` });
        });
        res.on('error', (err) => finish({ ok: false, output: `Get "${url}": ${err.message}` }));
      },
    );
    const timer = clock.setTimeout(() => {
      finish({ ok: false, output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
      req.destroy();
    }, timeoutSeconds * 1000);
    req.on('error', (err) => finish({ ok: false, output: `Get "${url}": ${describeNetError(err, 'tcp', hostPort(t.host, t.port))}` }));
    req.end();
  });
}

/** Go's wording of dial errors, which users grep events for. */
export function describeNetError(err: Error, net: string, addr: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `dial ${net} ${addr}: connect: connection refused`;
  if (code === 'EHOSTUNREACH') return `dial ${net} ${addr}: connect: no route to host`;
  if (code === 'ECONNRESET') return 'read: connection reset by peer';
  return err.message;
}
