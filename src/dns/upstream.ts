/**
 * Forwarding to the upstream resolvers (what CoreDNS's `forward . /etc/resolv.conf` does):
 * UDP first, TCP when the client used TCP and the UDP answer came back truncated. Upstreams
 * are tried in order, each with a timeout; the caller turns total failure into SERVFAIL.
 * Queries go out under fresh random IDs on one shared socket per address family and the
 * answer is handed back under the client's original ID.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import type { Clock, Timer } from '../base/clock.js';

export interface UpstreamAddress {
  address: string;
  port: number;
}

/** `1.1.1.1`, `1.1.1.1:5353`, `fd00::1`, `[fd00::1]:5353`. */
export function parseUpstream(text: string): UpstreamAddress {
  const bracket = /^\[(.+)\]:(\d+)$/.exec(text);
  if (bracket) return { address: bracket[1]!, port: Number(bracket[2]) };
  if (net.isIP(text)) return { address: text, port: 53 };
  const i = text.lastIndexOf(':');
  if (i > 0 && net.isIPv4(text.slice(0, i))) return { address: text.slice(0, i), port: Number(text.slice(i + 1)) };
  throw new Error(`not an upstream resolver address: ${text}`);
}

export class UpstreamError extends Error {
  readonly code = 'DNS_UPSTREAM';
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamError';
  }
}

interface Pending {
  upstream: UpstreamAddress;
  resolve(b: Buffer): void;
  timer: Timer;
}

export class Forwarder {
  private readonly sockets = new Map<'udp4' | 'udp6', dgram.Socket>();
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    private readonly upstreams: UpstreamAddress[],
    private readonly clock: Clock,
    private readonly timeoutMs = 2000,
  ) {}

  get configured(): boolean {
    return this.upstreams.length > 0;
  }

  /** The upstream's answer to `query` with the query's own ID; throws UpstreamError when none answers. */
  async forward(query: Buffer, opts: { tcp?: boolean } = {}): Promise<Buffer> {
    for (const up of this.upstreams) {
      try {
        let answer = await this.udp(up, query);
        const truncated = answer.length >= 3 && (answer[2]! & 0x02) !== 0;
        if (truncated && opts.tcp) answer = await this.tcp(up, query);
        return answer;
      } catch (err) {
        if (this.closed) throw err;
      }
    }
    throw new UpstreamError(this.upstreams.length ? 'no upstream resolver answered' : 'no upstream resolvers configured');
  }

  private socket(family: 'udp4' | 'udp6'): dgram.Socket {
    let s = this.sockets.get(family);
    if (s) return s;
    s = dgram.createSocket(family);
    s.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    s.on('error', () => undefined);
    s.unref();
    this.sockets.set(family, s);
    return s;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12) return;
    const p = this.pending.get(msg.readUInt16BE(0));
    // Only the upstream asked may answer: a spoofed reply from elsewhere is ignored.
    if (!p || p.upstream.port !== rinfo.port || normalize(p.upstream.address) !== normalize(rinfo.address)) return;
    this.pending.delete(msg.readUInt16BE(0));
    p.timer.cancel();
    p.resolve(msg);
  }

  private udp(up: UpstreamAddress, query: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new UpstreamError('forwarder closed'));
    const originalId = query.readUInt16BE(0);
    let id = randomInt(0x10000);
    for (let i = 0; this.pending.has(id) && i < 16; i++) id = randomInt(0x10000);
    if (this.pending.has(id)) return Promise.reject(new UpstreamError('too many queries in flight'));
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new UpstreamError(`upstream ${up.address}:${up.port} timed out`));
      }, this.timeoutMs);
      this.pending.set(id, {
        upstream: up,
        timer,
        resolve: (answer) => {
          answer.writeUInt16BE(originalId, 0);
          resolve(answer);
        },
      });
      this.socket(net.isIPv6(up.address) ? 'udp6' : 'udp4').send(out, up.port, up.address, (err) => {
        if (!err) return;
        this.pending.delete(id);
        timer.cancel();
        reject(new UpstreamError(`send to ${up.address}:${up.port}: ${err.message}`));
      });
    });
  }

  private tcp(up: UpstreamAddress, query: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(up.port, up.address);
      let buf = Buffer.alloc(0);
      const timer = this.clock.setTimeout(() => {
        sock.destroy();
        reject(new UpstreamError(`upstream ${up.address}:${up.port} timed out over TCP`));
      }, this.timeoutMs);
      sock.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          timer.cancel();
          sock.destroy();
          resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        }
      });
      sock.on('error', (err) => {
        timer.cancel();
        reject(new UpstreamError(`upstream ${up.address}:${up.port} over TCP: ${err.message}`));
      });
      sock.on('close', () => {
        timer.cancel();
        reject(new UpstreamError(`upstream ${up.address}:${up.port} closed the connection`));
      });
    });
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}

function normalize(address: string): string {
  return address.replace(/^::ffff:/, '');
}
