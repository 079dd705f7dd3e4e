/** One HTTPS request with the whole response body buffered; node built-ins only. */
import { request, type Agent } from 'node:https';

export interface Reply {
  status: number;
  body: Buffer;
}

export function send(agent: Agent, base: URL, method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = request({ agent, host: base.hostname, port: base.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Fails with the status and body when the reply is not the expected status. */
export function expectStatus(reply: Reply, want: number | number[], what: string): Reply {
  const ok = Array.isArray(want) ? want.includes(reply.status) : reply.status === want;
  if (!ok) throw new Error(`${what}: HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 500)}`);
  return reply;
}
