/** Pure patch functions over plain JSON values, and their errors (see errors.ts for HTTP mapping). */
export {
  applyJsonPatch,
  decodePointerToken,
  encodePointerToken,
  MAX_JSON_PATCH_OPERATIONS,
  type JsonPatchOperation,
} from './json-patch.js';
export { applyMergePatch, createMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch, applyStrategicMergePatchForKind } from './strategic-merge-patch.js';
export {
  JsonPatchApplyError,
  JsonPatchTestFailedError,
  JsonPatchTooManyOperationsError,
  MalformedPatchError,
  PatchError,
  StrategicMergeNotSupportedError,
  StrategicMergePatchError,
  StrategicMergePatchInvalidError,
  UNPROCESSABLE_PATCH_MESSAGE,
} from './errors.js';
export type { JsonObject } from './json-value.js';
