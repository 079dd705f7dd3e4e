/**
 * Decodes a Kubernetes protobuf request body (`application/vnd.kubernetes.protobuf`): the magic
 * prefix `k8s\0`, then a runtime.Unknown envelope whose raw bytes hold the typed object.
 */
import { decodeMessage, type DecodeContext, type JsonObject, type JsonValue } from './decode-message.js';
import { ProtobufInvalidWireDataError, ProtobufMissingMagicError, ProtobufUnknownTypeError } from './errors.js';
import { hasKubernetesProtobufMagic, KUBERNETES_PROTOBUF_MAGIC } from './magic.js';
import { createProtobufSchema, type ProtobufSchema } from './schema.js';
import { WireReader, WireType } from './wire-reader.js';


export interface DecodedKubernetesObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

export { hasKubernetesProtobufMagic, KUBERNETES_PROTOBUF_MAGIC };

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const defaultSchema = createProtobufSchema();

/**
 * Decodes one protobuf body into the JSON object the JSON path would see, with apiVersion and
 * kind set from the envelope. Throws ProtobufMissingMagicError, ProtobufInvalidWireDataError or
 * ProtobufUnknownTypeError (all ProtobufDecodeError).
 */
export function decodeKubernetesProtobuf(buf: Uint8Array, schema: ProtobufSchema = defaultSchema): DecodedKubernetesObject {
  const envelope = readEnvelope(buf);
  const { apiVersion, kind } = envelope;
  if (envelope.contentEncoding !== '') {
    throw new ProtobufInvalidWireDataError(`unsupported protobuf envelope contentEncoding "${envelope.contentEncoding}"`);
  }
  let body: JsonObject;
  if (envelope.contentType === '' || envelope.contentType.startsWith('application/vnd.kubernetes.protobuf')) {
    const message = schema.messageForKind(apiVersion, kind);
    if (!message) throw new ProtobufUnknownTypeError(apiVersion, kind);
    const ctx: DecodeContext = { schema, nested: (bytes) => decodeKubernetesProtobuf(bytes, schema).object as JsonValue };
    body = decodeMessage(ctx, message, envelope.raw);
  } else if (envelope.contentType.startsWith('application/json')) {
    body = parseJsonObject(envelope.raw);
  } else {
    throw new ProtobufInvalidWireDataError(`unsupported protobuf envelope contentType "${envelope.contentType}"`);
  }
  const object: Record<string, unknown> = { apiVersion, kind };
  for (const [key, value] of Object.entries(body)) if (key !== 'apiVersion' && key !== 'kind') object[key] = value;
  return { apiVersion, kind, object };
}

function readEnvelope(buf: Uint8Array): Envelope {
  if (!hasKubernetesProtobufMagic(buf)) throw new ProtobufMissingMagicError();
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const reader = new WireReader(buf, KUBERNETES_PROTOBUF_MAGIC.length);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (wireType !== WireType.LENGTH_DELIMITED || field > 4) {
      reader.skip(wireType, field);
      continue;
    }
    if (field === 1) {
      const { start, end } = reader.lengthDelimited();
      readTypeMeta(buf, start, end, envelope);
    } else if (field === 2) envelope.raw = reader.bytes();
    else if (field === 3) envelope.contentEncoding = reader.string();
    else envelope.contentType = reader.string();
  }
  if (envelope.kind === '') throw new ProtobufInvalidWireDataError('protobuf envelope has no kind');
  return envelope;
}

function readTypeMeta(buf: Uint8Array, start: number, end: number, into: Envelope): void {
  const reader = new WireReader(buf, start, end);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (wireType === WireType.LENGTH_DELIMITED && field === 1) into.apiVersion = reader.string();
    else if (wireType === WireType.LENGTH_DELIMITED && field === 2) into.kind = reader.string();
    else reader.skip(wireType, field);
  }
}

function parseJsonObject(raw: Uint8Array): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    throw new ProtobufInvalidWireDataError('envelope JSON payload does not parse', { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtobufInvalidWireDataError('envelope JSON payload is not an object');
  return value as JsonObject;
}
