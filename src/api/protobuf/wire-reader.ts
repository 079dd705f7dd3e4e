/**
 * A reader for the protobuf wire format over a window of a byte array. Every read checks the
 * window end, so truncated input fails with ProtobufInvalidWireDataError, never an out-of-range read.
 */
import { ProtobufInvalidWireDataError } from './errors.js';

export const WireType = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, START_GROUP: 3, END_GROUP: 4, FIXED32: 5 } as const;

export interface Tag {
  field: number;
  wireType: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export class WireReader {
  private pos: number;

  constructor(
    /** The whole array; positions from lengthDelimited() index into it. */
    readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  tag(): Tag {
    const key = this.varint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field < 1 || field > 0x1fffffff) throw new ProtobufInvalidWireDataError(`invalid field number ${field}`);
    return { field, wireType };
  }

  /** An unsigned varint of up to 10 bytes (64 bits). */
  varint(): bigint {
    let small = 0;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      small += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return BigInt(small);
    }
    // NOTE: beyond 49 bits doubles lose precision, so finish in BigInt.
    let value = BigInt(small);
    for (let i = 7; i < 10; i++) {
      const b = this.byte();
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, value);
    }
    throw new ProtobufInvalidWireDataError('varint longer than 10 bytes');
  }

  /** int32 fields: negative values travel as 10-byte sign-extended varints. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  fixed64(): DataView {
    return this.view(8);
  }

  fixed32(): DataView {
    return this.view(4);
  }

  double(): number {
    return this.fixed64().getFloat64(0, true);
  }

  /** The bounds of a length-delimited payload; the reader moves past it. */
  lengthDelimited(): { start: number; end: number } {
    const length = this.varint();
    if (length > BigInt(this.end - this.pos)) {
      throw new ProtobufInvalidWireDataError(`length ${length} runs past the end of the data`);
    }
    const start = this.pos;
    this.pos += Number(length);
    return { start, end: this.pos };
  }

  bytes(): Uint8Array {
    const { start, end } = this.lengthDelimited();
    return this.buf.subarray(start, end);
  }

  string(): string {
    try {
      return decoder.decode(this.bytes());
    } catch (err) {
      if (err instanceof ProtobufInvalidWireDataError) throw err;
      throw new ProtobufInvalidWireDataError('string field is not valid UTF-8', { cause: err });
    }
  }

  /** Skips one value of the given wire type, groups included. */
  skip(wireType: number, field = 0): void {
    switch (wireType) {
      case WireType.VARINT:
        this.varint();
        return;
      case WireType.FIXED64:
        this.view(8);
        return;
      case WireType.LENGTH_DELIMITED:
        this.lengthDelimited();
        return;
      case WireType.FIXED32:
        this.view(4);
        return;
      case WireType.START_GROUP:
        for (;;) {
          const inner = this.tag();
          if (inner.wireType === WireType.END_GROUP) {
            if (inner.field !== field) throw new ProtobufInvalidWireDataError(`group ${field} closed by field ${inner.field}`);
            return;
          }
          this.skip(inner.wireType, inner.field);
        }
      default:
        throw new ProtobufInvalidWireDataError(`unexpected wire type ${wireType}`);
    }
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtobufInvalidWireDataError('unexpected end of data');
    return this.buf[this.pos++];
  }

  private view(size: number): DataView {
    if (this.end - this.pos < size) throw new ProtobufInvalidWireDataError('unexpected end of data');
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, size);
    this.pos += size;
    return view;
  }
}
