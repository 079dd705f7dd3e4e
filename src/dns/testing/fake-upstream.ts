/**
 * A fake upstream resolver (the external edge: the host's DNS servers) for tests and the
 * benchmark. It answers every A question with one fixed address and everything else with
 * NXDOMAIN. It does not model recursion, TCP, caching, EDNS or anything beyond that.
 */
import dgram from 'node:dgram';
import { decodeMessage } from '../wire/decode.js';
import { encodeMessage } from '../wire/encode.js';
import { RCode, RRClass, RRType } from '../wire/message.js';

export interface FakeUpstream {
  port: number;
  queries: string[];
  close(): Promise<void>;
}

export async function startFakeUpstream(answer = '192.0.2.10'): Promise<FakeUpstream> {
  const sock = dgram.createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const req = decodeMessage(msg);
    const q = req.questions[0]!;
    queries.push(`${q.name}/${q.type}`);
    const isA = q.type === RRType.A;
    const res = encodeMessage({
      ...req,
      qr: true,
      ra: true,
      rcode: isA ? RCode.NOERROR : RCode.NXDOMAIN,
      answers: isA ? [{ name: q.name, class: RRClass.IN, ttl: 60, data: { type: RRType.A, address: answer } }] : [],
      authorities: [],
      additionals: [],
      edns: undefined,
    });
    sock.send(res, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return { port: sock.address().port, queries, close: () => new Promise((r) => sock.close(() => r())) };
}
