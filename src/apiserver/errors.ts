/** Maps every error the apiserver meets to a Status; the one place this happens. */
import { SkiffError } from '../base/errors.js';
import {
  CompactedError,
  ConflictError as StorageConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError as StorageNotFoundError,
} from '../storage/interface.js';
import {
  JsonPatchApplyError,
  JsonPatchTestFailedError,
  JsonPatchTooManyOperationsError,
  MalformedPatchError,
  StrategicMergeNotSupportedError,
  StrategicMergePatchError,
  StrategicMergePatchInvalidError,
  UNPROCESSABLE_PATCH_MESSAGE,
} from '../api/patch/errors.js';
import { ApplyBadRequestError, ApplyConflictError, ApplyInvalidObjectError } from '../api/patch/apply-errors.js';
import { SelectorParseError } from '../api/selectors/label-selector.js';
import {
  alreadyExists,
  conflict,
  expired,
  internalError,
  notFound,
  OBJECT_MODIFIED,
  StatusError,
  type Qualified,
  type StatusReason,
} from '../api/status.js';

/**
 * Maps any error into a StatusError. Resource context (when known) produces upstream's
 * messages for storage errors.
 */
export function toStatusError(err: unknown, ctx?: { resource?: Qualified; name?: string }): StatusError {
  if (err instanceof StatusError) return err;
  const r = ctx?.resource ?? { group: '', plural: '' };
  const name = ctx?.name ?? '';
  if (err instanceof KeyExistsError) return alreadyExists(r, name);
  if (err instanceof StorageNotFoundError) return notFound(r, name);
  if (err instanceof StorageConflictError) return conflict(r, name, OBJECT_MODIFIED);
  if (err instanceof MalformedPatchError || err instanceof ApplyBadRequestError || err instanceof SelectorParseError) {
    return new StatusError(400, 'BadRequest', err.message);
  }
  if (err instanceof JsonPatchTooManyOperationsError) return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${err.message}`);
  if (err instanceof JsonPatchTestFailedError || err instanceof JsonPatchApplyError || err instanceof StrategicMergePatchInvalidError) {
    return new StatusError(422, 'Invalid', UNPROCESSABLE_PATCH_MESSAGE);
  }
  if (err instanceof StrategicMergePatchError || err instanceof ApplyInvalidObjectError) return new StatusError(500, '', err.message);
  if (err instanceof StrategicMergeNotSupportedError) return new StatusError(415, 'UnsupportedMediaType', err.message);
  if (err instanceof ApplyConflictError) {
    return new StatusError(409, 'Conflict', err.message, { causes: err.causes });
  }
  if (err instanceof CompactedError) {
    return expired(`too old resource version: ${err.requested} (${err.compacted})`);
  }
  if (err instanceof FutureRevisionError) {
    return new StatusError(504, 'Timeout', `Too large resource version: ${err.requested}, current: ${err.current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
  if (err instanceof SkiffError && typeof (err as { httpCode?: unknown }).httpCode === 'number') {
    const e = err as SkiffError & { httpCode: number; reason?: StatusReason };
    return new StatusError(e.httpCode, e.reason ?? '', e.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message);
}
