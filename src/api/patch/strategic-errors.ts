/**
 * Builders for the strategic merge patch failures whose text upstream defines
 * (apimachinery pkg/util/mergepatch/errors.go), so messages read as on a real cluster.
 */
import { MalformedPatchError, StrategicMergePatchError, StrategicMergePatchInvalidError } from './errors.js';
import { formatGoValue, goTypeName } from './go-format.js';

export function noMergeKey(item: unknown, mergeKey: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${formatGoValue(item)} does not contain declared merge key: ${mergeKey}`);
}

export function badArgType(expected: 'map' | 'list', actual: unknown): StrategicMergePatchError {
  const expectedName = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return new StrategicMergePatchError(`expected a ${expectedName}, but received a ${goTypeName(actual)}`);
}

export function unknownPatchType(directive: unknown, map: unknown): StrategicMergePatchError {
  return new StrategicMergePatchError(`unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(map)}`);
}

export function noListOfLists(): StrategicMergePatchInvalidError {
  return new StrategicMergePatchInvalidError('lists of lists are not supported');
}

export const badPrimitiveListFormat = (): MalformedPatchError =>
  new MalformedPatchError('invalid patch format of primitive list');
export const badRetainKeysFormat = (): MalformedPatchError => new MalformedPatchError('invalid patch format of retainKeys');
export const badSetElementOrderFormat = (): MalformedPatchError =>
  new MalformedPatchError('invalid patch format of setElementOrder list');
