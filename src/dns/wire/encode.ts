/**
 * Writes DNS messages to wire bytes, compressing names (RFC 1035 4.1.4) against every name
 * suffix written before, case-insensitively.
 */
import { ipToBytes } from './ip-address.js';
import { DnsFormatError, RRType, type Header, type Message, type Question, type RecordData, type ResourceRecord } from './message.js';

class Writer {
  private buf = Buffer.alloc(512);
  len = 0;
  private readonly names = new Map<string, number>();

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v: number): void {
    this.grow(1);
    this.buf[this.len++] = v;
  }
  u16(v: number): void {
    this.grow(2);
    this.buf.writeUInt16BE(v & 0xffff, this.len);
    this.len += 2;
  }
  u32(v: number): void {
    this.grow(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }
  bytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  setU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }

  name(name: string, compress = true): void {
    const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
    let wire = 1;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      const bytes = Buffer.byteLength(label, 'latin1');
      if (bytes === 0 || bytes > 63) throw new DnsFormatError(`bad label in ${name}`);
      wire += bytes + 1;
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = compress ? this.names.get(suffix) : undefined;
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.len < 0x3fff) this.names.set(suffix, this.len);
      this.u8(bytes);
      this.bytes(Buffer.from(label, 'latin1'));
    }
    if (wire > 255) throw new DnsFormatError(`name longer than 255 octets: ${name}`);
    this.u8(0);
  }

  result(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function flags(h: Header): number {
  return (
    (h.qr ? 0x8000 : 0) |
    ((h.opcode & 0xf) << 11) |
    (h.aa ? 0x0400 : 0) |
    (h.tc ? 0x0200 : 0) |
    (h.rd ? 0x0100 : 0) |
    (h.ra ? 0x0080 : 0) |
    (h.ad ? 0x0020 : 0) |
    (h.cd ? 0x0010 : 0) |
    (h.rcode & 0xf)
  );
}

function question(w: Writer, q: Question): void {
  w.name(q.name);
  w.u16(q.type);
  w.u16(q.class);
}

function record(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name);
  w.u16(rr.data.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.len;
  w.u16(0);
  rdata(w, rr.data);
  w.setU16(lenAt, w.len - lenAt - 2);
}

function rdata(w: Writer, d: RecordData): void {
  if ('raw' in d) return w.bytes(d.raw);
  switch (d.type) {
    case RRType.A:
    case RRType.AAAA:
      return w.bytes(ipToBytes((d as { address: string }).address));
    case RRType.CNAME:
    case RRType.PTR:
    case RRType.NS:
      return w.name((d as { target: string }).target);
    case RRType.SOA: {
      const s = d as Extract<RecordData, { mname: string }>;
      w.name(s.mname);
      w.name(s.rname);
      for (const v of [s.serial, s.refresh, s.retry, s.expire, s.minimum]) w.u32(v);
      return;
    }
    case RRType.SRV: {
      const s = d as Extract<RecordData, { port: number }>;
      w.u16(s.priority);
      w.u16(s.weight);
      w.u16(s.port);
      // RFC 2782: the SRV target must not be compressed.
      return w.name(s.target, false);
    }
    case RRType.TXT:
      for (const t of (d as { texts: string[] }).texts) {
        const b = Buffer.from(t, 'utf8');
        if (b.length > 255) throw new DnsFormatError('TXT string longer than 255 octets');
        w.u8(b.length);
        w.bytes(b);
      }
      return;
    default:
      throw new DnsFormatError(`no encoder for record type ${(d as { type: number }).type}`);
  }
}

export function encodeMessage(msg: Message): Buffer {
  const w = new Writer();
  w.u16(msg.id);
  w.u16(flags({ ...msg, rcode: msg.rcode & 0xf }));
  w.u16(msg.questions.length);
  w.u16(msg.answers.length);
  w.u16(msg.authorities.length);
  w.u16(msg.additionals.length + (msg.edns ? 1 : 0));
  for (const q of msg.questions) question(w, q);
  for (const rr of msg.answers) record(w, rr);
  for (const rr of msg.authorities) record(w, rr);
  for (const rr of msg.additionals) record(w, rr);
  if (msg.edns) {
    const e = msg.edns;
    w.u8(0);
    w.u16(RRType.OPT);
    w.u16(e.udpSize);
    w.u32((((msg.rcode >> 4) & 0xff) << 24) | ((e.version & 0xff) << 16) | (e.flags & 0xffff));
    w.u16(e.options.length);
    w.bytes(e.options);
  }
  return w.result();
}

/**
 * The message cut down to fit `limit` bytes over UDP: records are dropped from the end,
 * additionals first, then answers and authorities, and TC is set when any answer or
 * authority record had to go (RFC 2181 9: missing additionals alone do not set TC).
 */
export function encodeTruncated(msg: Message, limit: number): Buffer {
  let out = encodeMessage(msg);
  if (out.length <= limit) return out;
  const m: Message = { ...msg, answers: [...msg.answers], authorities: [...msg.authorities], additionals: [...msg.additionals] };
  while (m.additionals.length > 0) {
    m.additionals.pop();
    out = encodeMessage(m);
    if (out.length <= limit) return out;
  }
  m.tc = true;
  m.authorities = [];
  while (m.answers.length > 0) {
    m.answers.pop();
    out = encodeMessage(m);
    if (out.length <= limit) return out;
  }
  return out;
}
