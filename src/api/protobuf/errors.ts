/**
 * Errors from decoding Kubernetes protobuf bodies. The apiserver maps every one of them to
 * 400 BadRequest, as upstream does for undecodable bodies and unregistered kinds.
 */
import { SkiffError } from '../../base/errors.js';

export class ProtobufDecodeError extends SkiffError {}

/** The body does not start with the `k8s\0` magic prefix. */
export class ProtobufMissingMagicError extends ProtobufDecodeError {
  constructor() {
    super('ProtobufMissingMagic', 'protobuf body does not start with the Kubernetes magic prefix "k8s\\x00"');
  }
}

/** Truncated or malformed wire data, or a field with a wire type its schema forbids. */
export class ProtobufInvalidWireDataError extends ProtobufDecodeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ProtobufInvalidWireData', message, options);
  }
}

/** The envelope names an apiVersion/kind skiff carries no wire facts for. */
export class ProtobufUnknownTypeError extends ProtobufDecodeError {
  readonly apiVersion: string;
  readonly kind: string;
  constructor(apiVersion: string, kind: string) {
    super('ProtobufUnknownType', `no kind "${kind}" is registered for protobuf in version "${apiVersion}"`);
    this.apiVersion = apiVersion;
    this.kind = kind;
  }
}
