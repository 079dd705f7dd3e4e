/** Reads DNS messages from wire bytes; malformed input throws DnsFormatError. */
import { ipv6ToString } from './ip-address.js';
import { DnsFormatError, RRType, type Message, type Question, type RecordData, type ResourceRecord, type Edns } from './message.js';

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError('message truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A possibly compressed name; pointers may only point backwards, which rules out loops. */
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    let total = 0;
    for (;;) {
      if (pos >= this.buf.length) throw new DnsFormatError('name runs past the message');
      const len = this.buf[pos]!;
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new DnsFormatError('truncated name pointer');
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1]!;
        if (target >= pos) throw new DnsFormatError('forward name pointer');
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (len & 0xc0) throw new DnsFormatError('unsupported label type');
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        return labels.join('.');
      }
      total += len + 1;
      if (total > 255) throw new DnsFormatError('name longer than 255 octets');
      if (pos + 1 + len > this.buf.length) throw new DnsFormatError('label runs past the message');
      labels.push(this.buf.toString('latin1', pos + 1, pos + 1 + len));
      pos += 1 + len;
    }
  }
}

export function decodeMessage(buf: Buffer): Message {
  const r = new Reader(buf);
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const msg: Message = {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
  };
  for (let i = 0; i < counts[0]; i++) msg.questions.push(question(r));
  for (let i = 0; i < counts[1]; i++) msg.answers.push(record(r).rr);
  for (let i = 0; i < counts[2]; i++) msg.authorities.push(record(r).rr);
  for (let i = 0; i < counts[3]; i++) {
    const { rr, edns } = record(r);
    if (edns) {
      if (msg.edns) throw new DnsFormatError('more than one OPT record');
      msg.edns = edns;
      msg.rcode |= edns.extendedRcode << 4;
    } else msg.additionals.push(rr);
  }
  return msg;
}

function question(r: Reader): Question {
  return { name: r.name(), type: r.u16(), class: r.u16() };
}

function record(r: Reader): { rr: ResourceRecord; edns?: Edns } {
  const name = r.name();
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const len = r.u16();
  r.need(len);
  const end = r.pos + len;
  if (type === RRType.OPT) {
    const options = r.bytes(len);
    const edns: Edns = { udpSize: klass, extendedRcode: ttl >>> 24, version: (ttl >>> 16) & 0xff, flags: ttl & 0xffff, options: Uint8Array.from(options) };
    return { rr: { name, class: klass, ttl, data: { type, raw: options } }, edns };
  }
  const data = rdata(r, type, len);
  if (r.pos !== end) throw new DnsFormatError(`RDATA length mismatch for type ${type}`);
  return { rr: { name, class: klass, ttl, data } };
}

function rdata(r: Reader, type: number, len: number): RecordData {
  switch (type) {
    case RRType.A: {
      if (len !== 4) throw new DnsFormatError('A record of wrong length');
      const b = r.bytes(4);
      return { type, address: `${b[0]}.${b[1]}.${b[2]}.${b[3]}` };
    }
    case RRType.AAAA: {
      if (len !== 16) throw new DnsFormatError('AAAA record of wrong length');
      return { type, address: ipv6ToString(r.bytes(16)) };
    }
    case RRType.CNAME:
    case RRType.PTR:
    case RRType.NS:
      return { type, target: r.name() };
    case RRType.SOA:
      return { type, mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
    case RRType.SRV:
      return { type, priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
    case RRType.TXT: {
      const end = r.pos + len;
      const texts: string[] = [];
      while (r.pos < end) texts.push(r.bytes(r.u8()).toString('utf8'));
      return { type, texts };
    }
    default:
      return { type, raw: Uint8Array.from(r.bytes(len)) };
  }
}
