/** Test and bench support: one raw DNS query over UDP or TCP to a server on a known port. */
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage } from '../wire/decode.js';
import { encodeMessage } from '../wire/encode.js';
import { RRClass, emptyHeader, type Edns, type Message } from '../wire/message.js';

export function queryMessage(name: string, type: number, opts: { id?: number; edns?: Edns } = {}): Buffer {
  return encodeMessage({ ...emptyHeader(opts.id ?? 0x1234), rd: true, questions: [{ name, type, class: RRClass.IN }], answers: [], authorities: [], additionals: [], edns: opts.edns });
}

export function udpExchange(port: number, query: Buffer, address = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.once('message', (msg) => {
      sock.close();
      resolve(msg);
    });
    sock.once('error', (err) => {
      sock.close();
      reject(err);
    });
    sock.send(query, port, address);
  });
}

export function tcpExchange(port: number, query: Buffer, address = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, address);
    let buf = Buffer.alloc(0);
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (c) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        sock.destroy();
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
    sock.on('error', reject);
  });
}

export async function query(port: number, name: string, type: number, opts: { tcp?: boolean; edns?: Edns } = {}): Promise<Message> {
  const q = queryMessage(name, type, { edns: opts.edns });
  return decodeMessage(opts.tcp ? await tcpExchange(port, q) : await udpExchange(port, q));
}
