/**
 * Cluster DNS (what CoreDNS with the kubernetes and forward plugins does for a cluster): names
 * in the cluster domain are answered from informers on Services and EndpointSlices, reverse
 * names of cluster addresses from the same data, everything else is relayed to the upstream
 * resolvers. UDP and TCP (RFC 1035 4.2.2 two-byte length framing) on every listen address;
 * UDP answers larger than 512 bytes, or the client's EDNS0 size, are truncated with TC set so
 * the client retries over TCP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { InformerFactory, type ApiClient } from '../client/index.js';
import { ClusterRecords, type ClusterData } from './cluster-records.js';
import { answerQuestion, inZone, type ZoneOptions } from './cluster-zone.js';
import { DEFAULT_RESOLV_CONF, parseResolvConf } from './resolv-conf.js';
import { Forwarder, parseUpstream } from './upstream.js';
import { decodeMessage } from './wire/decode.js';
import { encodeMessage, encodeTruncated } from './wire/encode.js';
import { CLASSIC_UDP_SIZE, OpCode, RCode, RRClass, emptyHeader, type Edns, type Message, type ResourceRecord } from './wire/message.js';

export interface ListenAddress {
  address: string;
  port: number;
}

export interface ClusterDNSOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  listen: ListenAddress[];
  /** Share informers with other components of the process; a private factory otherwise. */
  informers?: InformerFactory;
  clusterDomain?: string;
  /** `ip` or `ip:port`; default: the nameservers of /etc/resolv.conf. */
  upstream?: string[];
  ttl?: number;
  /** The kube-dns Service IPs, answered for `ns.dns.<domain>` and as NS glue. */
  clusterDNSIPs?: string[];
  upstreamTimeoutMs?: number;
}

export interface ClusterDNS {
  /** Bound addresses (port 0 resolved), one per listen entry; UDP and TCP share the port. */
  readonly addresses: ListenAddress[];
  close(): Promise<void>;
}

/** The UDP payload size we advertise in EDNS0 answers (DNS Flag Day 2020). */
const OUR_UDP_SIZE = 1232;
const TCP_IDLE_MS = 10_000;
/** Bounds the CNAME chain followed inside the zone for ExternalName targets. */
const MAX_CHASE = 8;

export function defaultUpstreams(path = DEFAULT_RESOLV_CONF): string[] {
  try {
    return parseResolvConf(readFileSync(path, 'utf8')).servers;
  } catch {
    return [];
  }
}

export async function startClusterDNS(opts: ClusterDNSOptions): Promise<ClusterDNS> {
  const life = new AbortController();
  const informers = opts.informers ?? new InformerFactory(opts.client, opts.clock, opts.log);
  const records = new ClusterRecords(informers, opts.clock);
  informers.start(life.signal);
  await records.waitForSync(life.signal);
  const forwarder = new Forwarder((opts.upstream ?? defaultUpstreams()).map(parseUpstream), opts.clock, opts.upstreamTimeoutMs);
  const handler = new QueryHandler(records, forwarder, opts.log, {
    zone: (opts.clusterDomain ?? 'cluster.local').replace(/\.$/, '').toLowerCase(),
    ttl: opts.ttl ?? 5,
    dnsIPs: opts.clusterDNSIPs ?? [],
  });
  const closers: (() => Promise<void>)[] = [];
  const addresses: ListenAddress[] = [];
  try {
    for (const l of opts.listen) {
      const tcp = await listenTcp(l, handler, opts.clock);
      closers.push(tcp.close);
      const port = tcp.port;
      const udp = await listenUdp({ address: l.address, port }, handler, opts.log);
      closers.push(udp.close);
      addresses.push({ address: l.address, port });
    }
  } catch (err) {
    life.abort();
    forwarder.close();
    await Promise.all(closers.map((c) => c()));
    throw err;
  }
  opts.log.info('cluster DNS listening', { addresses: addresses.map((a) => `${a.address}:${a.port}`), zone: handler.zone.zone });
  return {
    addresses,
    async close() {
      life.abort();
      forwarder.close();
      await Promise.all(closers.map((c) => c()));
    },
  };
}

/** One query in, one answer out (or none, for garbage not worth answering). */
export class QueryHandler {
  constructor(
    private readonly data: ClusterData,
    private readonly forwarder: Forwarder,
    private readonly log: Logger,
    readonly zone: ZoneOptions,
  ) {}

  async handle(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let req: Message;
    try {
      req = decodeMessage(query);
    } catch {
      if (query.length < 12 || (query[2]! & 0x80) !== 0) return undefined;
      return encodeMessage({ ...emptyHeader(query.readUInt16BE(0)), qr: true, rcode: RCode.FORMERR, questions: [], answers: [], authorities: [], additionals: [] });
    }
    if (req.qr) return undefined;
    const limit = transport === 'tcp' ? 0xffff : Math.max(CLASSIC_UDP_SIZE, req.edns?.udpSize ?? CLASSIC_UDP_SIZE);
    const reply = (m: Partial<Message>) => this.encode(req, m, limit);
    if (req.opcode !== OpCode.QUERY) return reply({ rcode: RCode.NOTIMP });
    if (req.edns && req.edns.version > 0) return reply({ rcode: 16 /* BADVERS */ });
    const q = req.questions[0];
    if (req.questions.length !== 1 || !q) return reply({ rcode: RCode.FORMERR });
    if (q.class !== RRClass.IN) return this.relay(query, req, transport, limit);
    const answer = answerQuestion(q, this.data, this.zone);
    if (!answer) return this.relay(query, req, transport, limit);
    const answers = [...answer.answers];
    if (answer.chase) answers.push(...(await this.chase(answer.chase, q.type, req.rd ?? true)));
    return reply({ aa: true, rcode: answer.rcode, answers, authorities: answer.authorities, additionals: answer.additionals });
  }

  /** Records of an ExternalName target, from the zone itself or the upstreams; none on failure. */
  private async chase(target: string, type: number, rd: boolean, depth = 0): Promise<ResourceRecord[]> {
    if (depth >= MAX_CHASE) return [];
    const q = { name: target, type, class: RRClass.IN };
    if (inZone(target, this.zone.zone)) {
      const a = answerQuestion(q, this.data, this.zone);
      if (!a) return [];
      return a.chase ? [...a.answers, ...(await this.chase(a.chase, type, rd, depth + 1))] : a.answers;
    }
    if (!this.forwarder.configured) return [];
    try {
      const query = encodeMessage({ ...emptyHeader(0), rd, questions: [q], answers: [], authorities: [], additionals: [], edns: ednsOut() });
      const res = decodeMessage(await this.forwarder.forward(query, { tcp: true }));
      return res.rcode === RCode.NOERROR ? res.answers : [];
    } catch (err) {
      this.log.debug('ExternalName target did not resolve upstream', { target, error: err });
      return [];
    }
  }

  private async relay(query: Buffer, req: Message, transport: 'udp' | 'tcp', limit: number): Promise<Buffer | undefined> {
    let answer: Buffer;
    try {
      answer = await this.forwarder.forward(query, { tcp: transport === 'tcp' });
    } catch (err) {
      this.log.debug('upstream forwarding failed', { name: req.questions[0]?.name, error: err });
      return this.encode(req, { rcode: RCode.SERVFAIL }, limit);
    }
    if (answer.length <= limit) return answer;
    try {
      return encodeTruncated(decodeMessage(answer), limit);
    } catch {
      return this.encode(req, { rcode: RCode.SERVFAIL }, limit);
    }
  }

  private encode(req: Message, m: Partial<Message>, limit: number): Buffer {
    const res: Message = {
      ...emptyHeader(req.id),
      qr: true,
      opcode: req.opcode,
      rd: req.rd,
      ra: true,
      cd: req.cd,
      questions: req.questions.slice(0, 1),
      answers: [],
      authorities: [],
      additionals: [],
      ...m,
      edns: req.edns ? ednsOut() : undefined,
    };
    return encodeTruncated(res, limit);
  }
}

function ednsOut(): Edns {
  return { udpSize: OUR_UDP_SIZE, extendedRcode: 0, version: 0, flags: 0, options: new Uint8Array(0) };
}

async function listenUdp(l: ListenAddress, handler: QueryHandler, log: Logger): Promise<{ close: () => Promise<void> }> {
  const sock = dgram.createSocket({ type: net.isIPv6(l.address) ? 'udp6' : 'udp4' });
  sock.on('message', (msg, rinfo) => {
    handler.handle(msg, 'udp').then(
      (out) => out && sock.send(out, rinfo.port, rinfo.address),
      (err) => log.warn('DNS query failed', { error: err }),
    );
  });
  sock.on('error', (err) => log.warn('DNS UDP socket error', { error: err }));
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(l.port, l.address, () => {
      sock.off('error', reject);
      resolve();
    });
  });
  return { close: () => new Promise((resolve) => sock.close(() => resolve())) };
}

async function listenTcp(l: ListenAddress, handler: QueryHandler, clock: Clock): Promise<{ port: number; close: () => Promise<void> }> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    conns.add(sock);
    let buf = Buffer.alloc(0);
    let idle = clock.setTimeout(() => sock.destroy(), TCP_IDLE_MS);
    sock.on('data', (chunk) => {
      idle.cancel();
      idle = clock.setTimeout(() => sock.destroy(), TCP_IDLE_MS);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      // RFC 7766: several queries may arrive on one connection and be answered out of order.
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const query = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + query.length);
        void handler.handle(Buffer.from(query), 'tcp').then((out) => {
          if (!out || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        });
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      idle.cancel();
      conns.delete(sock);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const c of conns) c.destroy();
        server.close(() => resolve());
      }),
  };
}
