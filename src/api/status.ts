/**
 * API errors as Kubernetes `Status` objects (apimachinery pkg/api/errors). The apiserver's
 * `toStatusError` is the one place where other layers' typed errors become these.
 */
import { SkiffError } from '../base/errors.js';
import type { FieldError } from './field-errors.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable'
  | '';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends SkiffError {
  constructor(
    readonly httpCode: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(`Status${httpCode}`, message);
  }
  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.httpCode,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** Identifies a resource in messages: `deployments.apps` or `pods`. */
export interface Qualified {
  group: string;
  plural: string;
}

export function qualifiedResource(r: Qualified): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function notFound(r: Qualified, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, {
    name,
    group: r.group || undefined,
    kind: r.plural,
  });
}

export function alreadyExists(r: Qualified, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, {
    name,
    group: r.group || undefined,
    kind: r.plural,
  });
}

export function conflict(r: Qualified, name: string, why: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`, {
    name,
    group: r.group || undefined,
    kind: r.plural,
  });
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** 422 Invalid: `Deployment.apps "x" is invalid: spec.selector: Required value`. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const parts = errs.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    group: group || undefined,
    kind,
    causes: errs.map((e) => ({ reason: e.reason, message: e.message, field: e.field })),
  });
}

export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return new StatusError(400, 'BadRequest', message, causes ? { causes } : undefined);
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message);
}

export function notAcceptable(message: string): StatusError {
  return new StatusError(406, 'NotAcceptable', message);
}

export function unsupportedMediaType(): StatusError {
  return new StatusError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
}

export function tooLarge(message = 'the server has received a request that is too large'): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', message);
}

/** 410 Gone for watch/list at compacted revisions (apiserver pkg/storage errors). */
export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function forbidden(message: string): StatusError {
  return new StatusError(403, 'Forbidden', message);
}

export function timeout(message: string): StatusError {
  return new StatusError(504, 'Timeout', message);
}

