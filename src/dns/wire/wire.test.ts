import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from './decode.js';
import { encodeMessage, encodeTruncated } from './encode.js';
import { ipToBytes, ipv6ToString } from './ip-address.js';
import { RRClass, RRType, emptyHeader, type Message, type RecordData } from './message.js';

const rr = (name: string, data: RecordData) => ({ name, class: RRClass.IN, ttl: 5, data });

test('every record type survives encode → decode', () => {
  const msg: Message = {
    ...emptyHeader(7),
    qr: true,
    aa: true,
    rd: true,
    ra: true,
    questions: [{ name: 'a.default.svc.cluster.local', type: RRType.ANY, class: RRClass.IN }],
    answers: [
      rr('a.default.svc.cluster.local', { type: RRType.A, address: '10.43.0.1' }),
      rr('a.default.svc.cluster.local', { type: RRType.AAAA, address: 'fd00::1' }),
      rr('a.default.svc.cluster.local', { type: RRType.CNAME, target: 'b.example.test' }),
      rr('a.default.svc.cluster.local', { type: RRType.SRV, priority: 0, weight: 100, port: 80, target: 'a.default.svc.cluster.local' }),
      rr('1.0.43.10.in-addr.arpa', { type: RRType.PTR, target: 'a.default.svc.cluster.local' }),
      rr('dns-version.cluster.local', { type: RRType.TXT, texts: ['1.1.0', 'x'] }),
    ],
    authorities: [rr('cluster.local', { type: RRType.SOA, mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 })],
    additionals: [],
    edns: { udpSize: 1232, extendedRcode: 0, version: 0, flags: 0x8000, options: new Uint8Array([0, 10, 0, 2, 1, 2]) },
  };
  const wire = encodeMessage(msg);
  const back = decodeMessage(wire);
  assert.deepEqual({ ...back, edns: { ...back.edns!, options: [...back.edns!.options] } }, { ...msg, edns: { ...msg.edns!, options: [...msg.edns!.options] } });
});

test('names are compressed on write, case-insensitively', () => {
  const long = 'httpenv.default.svc.cluster.local';
  const msg: Message = { ...emptyHeader(1), questions: [{ name: long, type: RRType.A, class: RRClass.IN }], answers: [rr('HTTPENV.default.svc.cluster.local', { type: RRType.A, address: '1.2.3.4' })], authorities: [], additionals: [] };
  const wire = encodeMessage(msg);
  // header 12 + question (name 35 + 4) + answer (pointer 2 + 10 + 4)
  assert.equal(wire.length, 12 + 35 + 4 + 2 + 10 + 4);
  assert.equal(decodeMessage(wire).answers[0]!.name, long);
});

test('truncation drops records and sets TC to fit the limit', () => {
  const answers = Array.from({ length: 100 }, (_, i) => rr('big.default.svc.cluster.local', { type: RRType.A, address: `10.0.0.${i}` }));
  const msg: Message = { ...emptyHeader(1), qr: true, questions: [{ name: 'big.default.svc.cluster.local', type: RRType.A, class: RRClass.IN }], answers, authorities: [], additionals: [] };
  const out = encodeTruncated(msg, 512);
  assert.ok(out.length <= 512);
  const m = decodeMessage(out);
  assert.equal(m.tc, true);
  assert.ok(m.answers.length > 0 && m.answers.length < 100);
  assert.equal(decodeMessage(encodeTruncated(msg, 65535)).tc, false);
});

test('malformed input is rejected', () => {
  const table: [string, Buffer][] = [
    ['short header', Buffer.from([0, 1, 0])],
    ['question past the end', Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 97])],
    ['pointer loop', Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1])],
  ];
  for (const [name, buf] of table) assert.throws(() => decodeMessage(buf), { name: 'DnsFormatError' }, name);
});

test('IPv6 text forms', () => {
  for (const [input, canonical] of [['fd00::1', 'fd00::1'], ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], ['::', '::'], ['::ffff:1.2.3.4', '::ffff:102:304']]) {
    assert.equal(ipv6ToString(ipToBytes(input!)), canonical, input);
  }
});
