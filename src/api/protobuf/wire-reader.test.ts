import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufInvalidWireDataError } from './errors.js';
import { WireReader, WireType } from './wire-reader.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

test('varints decode, from one byte to the full 10-byte 64-bit range', () => {
  const cases: Array<[Uint8Array, bigint]> = [
    [bytes(0x00), 0n],
    [bytes(0x01), 1n],
    [bytes(0x7f), 127n],
    [bytes(0xac, 0x02), 300n],
    [bytes(0xff, 0xff, 0xff, 0xff, 0x0f), 0xffffffffn],
    [bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 1n << 56n],
    [bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), (1n << 64n) - 1n],
  ];
  for (const [input, want] of cases) assert.equal(new WireReader(input).varint(), want, `bytes ${Buffer.from(input).toString('hex')}`);
});

test('a negative int32 travels as a 10-byte sign-extended varint', () => {
  const minusOne = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
  assert.equal(new WireReader(minusOne).int32(), -1);
  const minus300 = bytes(0xd4, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
  assert.equal(new WireReader(minus300).int32(), -300);
  assert.equal(new WireReader(minus300).int64(), -300n);
});

test('tags split into field number and wire type', () => {
  assert.deepEqual(new WireReader(bytes(0x08)).tag(), { field: 1, wireType: WireType.VARINT });
  assert.deepEqual(new WireReader(bytes(0x92, 0x01)).tag(), { field: 18, wireType: WireType.LENGTH_DELIMITED });
  assert.throws(() => new WireReader(bytes(0x00)).tag(), ProtobufInvalidWireDataError);
});

test('skip passes over every wire type, groups included', () => {
  // varint, fixed64, length-delimited, fixed32, a group holding a varint, then field 9 = 7
  const input = bytes(
    0x08, 0x96, 0x01,
    0x11, 1, 2, 3, 4, 5, 6, 7, 8,
    0x1a, 0x02, 0x61, 0x62,
    0x25, 1, 2, 3, 4,
    0x2b, 0x08, 0x01, 0x2c,
    0x48, 0x07,
  );
  const reader = new WireReader(input);
  for (let i = 0; i < 5; i++) {
    const { field, wireType } = reader.tag();
    reader.skip(wireType, field);
  }
  assert.deepEqual(reader.tag(), { field: 9, wireType: WireType.VARINT });
  assert.equal(reader.varint(), 7n);
  assert.ok(reader.done);
});

test('truncated or malformed input fails with ProtobufInvalidWireDataError', () => {
  const cases: Array<[string, () => unknown]> = [
    ['varint cut short', () => new WireReader(bytes(0x80)).varint()],
    ['varint of 11 bytes', () => new WireReader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).varint()],
    ['length past the end', () => new WireReader(bytes(0x05, 0x61)).bytes()],
    ['fixed64 cut short', () => new WireReader(bytes(1, 2, 3)).fixed64()],
    ['fixed32 cut short', () => new WireReader(bytes(1, 2, 3)).fixed32()],
    ['invalid UTF-8 string', () => new WireReader(bytes(0x01, 0xff)).string()],
    ['wire type 7', () => new WireReader(bytes(0x00)).skip(7)],
    ['unterminated group', () => new WireReader(bytes(0x08, 0x01)).skip(WireType.START_GROUP, 5)],
  ];
  for (const [name, run] of cases) assert.throws(run, ProtobufInvalidWireDataError, name);
});

test('a reader over a window stops at the window end', () => {
  const reader = new WireReader(bytes(0x08, 0x01, 0x10, 0x02), 0, 2);
  assert.deepEqual(reader.tag(), { field: 1, wireType: WireType.VARINT });
  assert.equal(reader.varint(), 1n);
  assert.ok(reader.done);
  assert.throws(() => reader.varint(), ProtobufInvalidWireDataError);
});
