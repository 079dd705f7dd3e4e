/** Errors from the container runtime, keyed by the gRPC status so callers branch on `code`. */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { SkiffError } from '../../base/errors.js';

/** gRPC status names as the codes of CriError, e.g. 'NOT_FOUND', 'UNAVAILABLE'. */
export type CriErrorCode = keyof typeof GrpcStatus;

export class CriError extends SkiffError {
  declare readonly code: CriErrorCode;
  constructor(
    code: CriErrorCode,
    readonly method: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${method}: ${message}`, options);
  }
}

const names = new Map<number, CriErrorCode>(
  Object.entries(GrpcStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k as CriErrorCode]),
);

/** Wraps a grpc-js ServiceError (or anything else thrown by a call) into a CriError. */
export function toCriError(method: string, err: unknown): CriError {
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  const code = (typeof e?.code === 'number' && names.get(e.code)) || 'UNKNOWN';
  const details = typeof e?.details === 'string' && e.details ? e.details : String(e?.message ?? err);
  return new CriError(code, method, details, { cause: err });
}

export function isNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === 'NOT_FOUND';
}
