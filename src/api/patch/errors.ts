/**
 * Patch errors. Each class has one stable `code`; the apiserver maps them to `Status` the way
 * upstream's PATCH handler does (apiserver pkg/endpoints/handlers/patch.go, v1.32):
 *
 * | class                              | HTTP | reason               | Status message                    |
 * |------------------------------------|------|----------------------|-----------------------------------|
 * | MalformedPatchError                | 400  | BadRequest           | error message                     |
 * | JsonPatchTooManyOperationsError    | 413  | RequestEntityTooLarge| `Request entity too large: <msg>` |
 * | JsonPatchTestFailedError           | 422  | Invalid              | fixed text, see UNPROCESSABLE_... |
 * | JsonPatchApplyError                | 422  | Invalid              | fixed text, see UNPROCESSABLE_... |
 * | StrategicMergePatchInvalidError    | 422  | Invalid              | fixed text, see UNPROCESSABLE_... |
 * | StrategicMergePatchError           | 500  | "" (Unknown)         | error message                     |
 * | StrategicMergeNotSupportedError    | 415  | UnsupportedMediaType | error message                     |
 */
import { SkiffError } from '../../base/errors.js';

/**
 * Upstream answers 422 through `errors.NewGenericServerResponse(422, ...)`, which drops the
 * library's message and says only this; kubectl prints `The request is invalid: <this>`.
 */
export const UNPROCESSABLE_PATCH_MESSAGE = 'the server rejected our request due to an error in our request';

/** Base of every patch error, so callers can catch the family with one `instanceof`. */
export abstract class PatchError extends SkiffError {}

/**
 * The patch document cannot be decoded or its directives are malformed: JSON patch that is not
 * a list of operations, merge patch that is not an object or list (evanphx `Invalid JSON Patch`),
 * strategic merge patch that is not an object, bad `$retainKeys`, `$setElementOrder/…`,
 * `$deleteFromPrimitiveList/…` (mergepatch.ErrBadPatchFormatFor*). → 400 BadRequest.
 */
export class MalformedPatchError extends PatchError {
  constructor(message: string) {
    super('MalformedPatch', message);
  }
}

/** More than 10000 JSON patch operations (upstream maxJSONPatchOperations). → 413. */
export class JsonPatchTooManyOperationsError extends PatchError {
  constructor(readonly count: number, readonly limit: number) {
    super('JsonPatchTooManyOperations', `The allowed maximum operations in a JSON patch is ${limit}, got ${count}`);
  }
}

/** A JSON patch `test` operation did not match. → 422 Invalid with the fixed message. */
export class JsonPatchTestFailedError extends PatchError {
  constructor(readonly path: string) {
    super('JsonPatchTestFailed', `testing value ${path} failed: test failed`);
  }
}

/**
 * A JSON patch operation could not be applied: missing path, missing key on `remove`, bad or
 * out-of-range array index, unknown `op`. Message text follows evanphx/json-patch v4.
 * → 422 Invalid with the fixed message.
 */
export class JsonPatchApplyError extends PatchError {
  constructor(message: string) {
    super('JsonPatchApplyFailed', message);
  }
}

/**
 * Strategic merge patch rejected as unprocessable: lists of lists
 * (mergepatch.ErrNoListOfLists). → 422 Invalid with the fixed message.
 */
export class StrategicMergePatchInvalidError extends PatchError {
  constructor(message: string) {
    super('StrategicMergePatchInvalid', message);
  }
}

/**
 * Any other strategic merge patch failure: missing merge key (`map: map[…] does not contain
 * declared merge key: name`), `unknown patch type: …`, `$setElementOrder` order mismatch,
 * wrong value types. Upstream passes these through unconverted, so the apiserver answers
 * 500 with reason "" and the message verbatim (kubectl: `Error from server: <message>`).
 */
export class StrategicMergePatchError extends PatchError {
  constructor(message: string) {
    super('StrategicMergePatchFailed', message);
  }
}

/**
 * The kind has no Go-struct schema upstream (custom resources), so
 * `application/strategic-merge-patch+json` is not an accepted patch type for it.
 * → 415 UnsupportedMediaType (negotiation.NewUnsupportedMediaTypeError: `the body of the
 * request was in an unknown format - accepted media types include: <list>`).
 */
export class StrategicMergeNotSupportedError extends PatchError {
  constructor(readonly kind: string) {
    super('StrategicMergePatchNotSupported', `strategic merge patch is not supported for ${kind || 'this kind'}`);
  }
}
