/**
 * Decodes one protobuf message into the plain JSON object Go's encoding/json would print for the
 * same struct: omitempty zero values dropped, pointers kept when present, apimachinery types in
 * their JSON forms.
 */
import { ProtobufInvalidWireDataError } from './errors.js';
import { hasKubernetesProtobufMagic } from './magic.js';
import { formatGoDuration, formatRfc3339, formatRfc3339Micro } from './go-time.js';
import type { CompiledMessage, FieldSpec, ValueType } from './message-table.js';
import type { ProtobufSchema } from './schema.js';
import { WireReader, WireType } from './wire-reader.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Decodes raw bytes that are themselves a Kubernetes protobuf envelope (RawExtension). */
export type NestedDecoder = (bytes: Uint8Array) => JsonValue;

export interface DecodeContext {
  schema: ProtobufSchema;
  nested: NestedDecoder;
}

export function decodeMessage(ctx: DecodeContext, message: CompiledMessage, buf: Uint8Array, start = 0, end = buf.length): JsonObject {
  const out: JsonObject = {};
  const reader = new WireReader(buf, start, end);
  while (!reader.done) {
    const { field: number, wireType } = reader.tag();
    const field = message.fields.get(number);
    if (!field) {
      reader.skip(wireType, number);
      continue;
    }
    if (field.map) {
      expectWireType(field, wireType, WireType.LENGTH_DELIMITED, message);
      const { start: s, end: e } = reader.lengthDelimited();
      const [key, value] = decodeMapEntry(ctx, field, buf, s, e);
      const map = (out[field.json] ??= {}) as JsonObject;
      map[key] = value;
    } else if (field.repeated) {
      const list = (out[field.json] ??= []) as JsonValue[];
      if (wireType === WireType.LENGTH_DELIMITED && isPackable(field.value)) {
        const { start: s, end: e } = reader.lengthDelimited();
        const packed = new WireReader(buf, s, e);
        while (!packed.done) list.push(readValue(ctx, field, packed, packableWireType(field.value), message));
      } else {
        list.push(readValue(ctx, field, reader, wireType, message));
      }
    } else {
      // NOTE: a repeated occurrence of a singular field replaces the earlier one; gogo never
      // writes one twice, so protobuf's message merging is not modelled.
      out[field.json] = readValue(ctx, field, reader, wireType, message);
    }
  }
  for (const field of message.fields.values()) {
    if (field.inline) inlineInto(out, field);
    else applyPresence(out, field);
  }
  return out;
}

/** Go's encoding/json prints an inlined struct's fields as the parent's own. */
function inlineInto(out: JsonObject, field: FieldSpec): void {
  const value = out[field.json];
  delete out[field.json];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) if (!(key in out)) out[key] = inner;
  }
}

/** Go's JSON view of the decoded struct: which zero values are printed. */
function applyPresence(out: JsonObject, field: FieldSpec): void {
  const value = out[field.json];
  if (field.repeated || field.map) {
    if (value !== undefined && isEmptyCollection(value)) delete out[field.json];
    return;
  }
  if (field.value.kind === 'message' || field.presence === 'pointer') return;
  const zero = scalarZero(field.value);
  if (zero === undefined) return;
  if (field.presence === 'keep') {
    if (value === undefined) out[field.json] = zero;
  } else if (value === zero) {
    delete out[field.json];
  }
}

function isEmptyCollection(value: JsonValue): boolean {
  return Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function scalarZero(value: ValueType): JsonValue | undefined {
  switch (value.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'double':
      return 0;
    default:
      return undefined;
  }
}

function decodeMapEntry(ctx: DecodeContext, field: FieldSpec, buf: Uint8Array, start: number, end: number): [string, JsonValue] {
  const reader = new WireReader(buf, start, end);
  let key = '';
  let value: JsonValue | undefined;
  while (!reader.done) {
    const { field: number, wireType } = reader.tag();
    if (number === 1 && wireType === WireType.LENGTH_DELIMITED) key = reader.string();
    else if (number === 2) value = readValue(ctx, field, reader, wireType, undefined);
    else reader.skip(wireType, number);
  }
  return [key, value ?? mapValueZero(ctx, field.value)];
}

/** A map entry without a value holds Go's zero value of the element type. */
function mapValueZero(ctx: DecodeContext, value: ValueType): JsonValue {
  const scalar = scalarZero(value);
  if (scalar !== undefined) return scalar;
  return decodeValueBytes(ctx, value, new Uint8Array(0), 0, 0);
}

function readValue(ctx: DecodeContext, field: FieldSpec, reader: WireReader, wireType: number, owner: CompiledMessage | undefined): JsonValue {
  const value = field.value;
  switch (value.kind) {
    case 'string':
      expectWireType(field, wireType, WireType.LENGTH_DELIMITED, owner);
      return reader.string();
    case 'bytes':
      expectWireType(field, wireType, WireType.LENGTH_DELIMITED, owner);
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool':
      expectWireType(field, wireType, WireType.VARINT, owner);
      return reader.bool();
    case 'int32':
      expectWireType(field, wireType, WireType.VARINT, owner);
      return reader.int32();
    case 'int64':
      expectWireType(field, wireType, WireType.VARINT, owner);
      // NOTE: JSON numbers beyond 2^53 lose precision here; no Kubernetes field needs them.
      return Number(reader.int64());
    case 'double':
      expectWireType(field, wireType, WireType.FIXED64, owner);
      return reader.double();
    default: {
      expectWireType(field, wireType, WireType.LENGTH_DELIMITED, owner);
      const { start, end } = reader.lengthDelimited();
      return decodeValueBytes(ctx, value, reader.buf, start, end);
    }
  }
}

/** Decodes a length-delimited payload of a message or apimachinery type. */
function decodeValueBytes(ctx: DecodeContext, value: ValueType, buf: Uint8Array, start: number, end: number): JsonValue {
  switch (value.kind) {
    case 'message': {
      const message = ctx.schema.message(value.message);
      if (!message) throw new ProtobufInvalidWireDataError(`no wire facts for message ${value.message}`);
      return decodeMessage(ctx, message, buf, start, end);
    }
    case 'time':
    case 'microtime': {
      // An empty payload is Go's zero time, which metav1.Time prints as null.
      if (start === end) return null;
      const t = readFields(buf, start, end, { 1: 'int64', 2: 'int32' });
      const seconds = (t[1] as bigint | undefined) ?? 0n;
      const nanos = Number(t[2] ?? 0);
      return value.kind === 'time' ? formatRfc3339(seconds) : formatRfc3339Micro(seconds, nanos);
    }
    case 'duration':
      return formatGoDuration((readFields(buf, start, end, { 1: 'int64' })[1] as bigint | undefined) ?? 0n);
    case 'quantity':
      // NOTE: passed through as written; the zero Quantity prints as "0" in Go.
      return (readFields(buf, start, end, { 1: 'string' })[1] as string | undefined) ?? '0';
    case 'intorstring': {
      const f = readFields(buf, start, end, { 1: 'int64', 2: 'int32', 3: 'string' });
      return f[1] === 1n ? ((f[3] as string | undefined) ?? '') : Number(f[2] ?? 0);
    }
    case 'raw':
    case 'fieldsv1': {
      const raw = readFields(buf, start, end, { 1: 'bytes' })[1] as Uint8Array | undefined;
      return raw === undefined || raw.length === 0 ? null : parseRawJson(ctx, raw);
    }
    case 'strings': {
      const items: JsonValue[] = [];
      const reader = new WireReader(buf, start, end);
      while (!reader.done) {
        const { field, wireType } = reader.tag();
        if (field === 1 && wireType === WireType.LENGTH_DELIMITED) items.push(reader.string());
        else reader.skip(wireType, field);
      }
      return items;
    }
    default:
      throw new ProtobufInvalidWireDataError(`scalar ${value.kind} cannot be decoded from a length-delimited payload`);
  }
}

/** RawExtension bytes are JSON from typed clients, or a nested protobuf envelope. */
function parseRawJson(ctx: DecodeContext, raw: Uint8Array): JsonValue {
  if (hasKubernetesProtobufMagic(raw)) return ctx.nested(raw);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as JsonValue;
  } catch (err) {
    throw new ProtobufInvalidWireDataError('embedded raw object is neither JSON nor Kubernetes protobuf', { cause: err });
  }
}

type SmallKind = 'int64' | 'int32' | 'string' | 'bytes';

/** Reads the few known fields of a small fixed-shape message (Time, Quantity, IntOrString, ...). */
function readFields(buf: Uint8Array, start: number, end: number, shape: Record<number, SmallKind>): Record<number, bigint | number | string | Uint8Array> {
  const out: Record<number, bigint | number | string | Uint8Array> = {};
  const reader = new WireReader(buf, start, end);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    const kind = shape[field];
    const expected = kind === 'int64' || kind === 'int32' ? WireType.VARINT : WireType.LENGTH_DELIMITED;
    if (kind === undefined || wireType !== expected) {
      if (kind !== undefined) throw new ProtobufInvalidWireDataError(`field ${field} has wire type ${wireType}, expected ${expected}`);
      reader.skip(wireType, field);
      continue;
    }
    out[field] = kind === 'int64' ? reader.int64() : kind === 'int32' ? reader.int32() : kind === 'string' ? reader.string() : reader.bytes();
  }
  return out;
}

function isPackable(value: ValueType): boolean {
  return value.kind === 'bool' || value.kind === 'int32' || value.kind === 'int64' || value.kind === 'double';
}

function packableWireType(value: ValueType): number {
  return value.kind === 'double' ? WireType.FIXED64 : WireType.VARINT;
}

function expectWireType(field: FieldSpec, actual: number, expected: number, owner: CompiledMessage | undefined): void {
  if (actual !== expected) {
    const where = owner ? `${owner.name}.${field.json}` : field.json;
    throw new ProtobufInvalidWireDataError(`field ${where} (${field.number}) has wire type ${actual}, expected ${expected}`);
  }
}
