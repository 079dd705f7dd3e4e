/**
 * The reference server of the API benchmarks: a bare node https server in its own process,
 * with skiff's TLS setup and certificates (client certificates requested), that does only the
 * unavoidable work — the ceiling of one Node process.
 *   POST any path      → parses the JSON body and answers it re-serialized (201)
 *   GET /bytes/<n>     → a static JSON body of exactly n bytes (200)
 * Started by bare-server.ts: `node bare-server-main.js <skiff-data-dir>/tls`; prints `listening <port>`.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const pem = (name: string) => readFile(join(process.argv[2], name), 'utf8');
const [ca, cert, key] = await Promise.all([pem('server-ca.crt'), pem('serving-kube-apiserver.crt'), pem('serving-kube-apiserver.key')]);
const bodies = new Map<number, Buffer>();

function staticBody(n: number): Buffer {
  let b = bodies.get(n);
  if (!b) {
    const shell = '{"pad":""}';
    b = Buffer.from(n <= shell.length ? shell : `{"pad":"${'x'.repeat(n - shell.length)}"}`);
    bodies.set(n, b);
  }
  return b;
}

const server = createServer(
  { key, cert, ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
  (req, res) => {
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const out = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out) });
        res.end(out);
      });
      return;
    }
    const m = /^\/bytes\/(\d+)/.exec(req.url ?? '');
    if (req.method === 'GET' && m) {
      const body = staticBody(Number(m[1]));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
      return;
    }
    res.writeHead(404).end();
  },
);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
