/**
 * Hands an upgraded client connection to containerd's stream server: the request is replayed
 * to the one-time URL from CRI Exec/Attach/PortForward and from then on bytes flow both ways
 * untouched (containerd speaks SPDY/3.1 and WebSocket itself, 101 answer included).
 */
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/** Header lines to replay, duplicates kept (X-Stream-Protocol-Version repeats). */
function headerLines(req: IncomingMessage, host: string): string {
  const lines = [`Host: ${host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (/^(host|authorization)$/i.test(name)) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  return lines.join('\r\n');
}

export function pipeToStreamServer(req: IncomingMessage, client: Duplex, head: Buffer, streamUrl: string): void {
  const url = new URL(streamUrl);
  const upstream = connect(Number(url.port || 80), url.hostname);
  const done = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.once('connect', () => {
    upstream.write(`${req.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1\r\n${headerLines(req, url.host)}\r\n\r\n`);
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', done);
  client.on('error', done);
  upstream.on('close', done);
  client.on('close', done);
}

/** Answers an upgrade request on the raw socket (nothing else has been written to it). */
export function refuseUpgrade(client: Duplex, code: number, text: string, message: string): void {
  const body = `${message}\n`;
  client.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
