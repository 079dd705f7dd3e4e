/**
 * The query and path parameters of Kubernetes API operations, in upstream's names and per
 * verb the set upstream declares. Kept format-neutral: v2 and v3 render them differently.
 */
export interface Parameter {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
}

function query(name: string, type: Parameter['type'], description: string): Parameter {
  return { name, in: 'query', type, description };
}

function path(name: string, description: string): Parameter {
  return { name, in: 'path', type: 'string', description, required: true };
}

export const pretty = query('pretty', 'string', "If 'true', the output is pretty printed.");
export const namespace = path('namespace', 'object name and auth scope, such as for teams and projects');
export const nameOf = (kind: string): Parameter => path('name', `name of the ${kind}`);
export const pathParam = path('path', 'path to the resource');

const dryRun = query('dryRun', 'string', 'When present, the change is validated and admitted but not persisted. The only valid value is All.');
const fieldManager = query('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields. Required for apply patches.');
const fieldValidation = query(
  'fieldValidation',
  'string',
  'What the server does with unknown or duplicate fields in the body: Ignore drops them, Warn drops them and returns a warning header for each, Strict rejects the request.',
);
const force = query('force', 'boolean', 'Apply only: take ownership of fields that other managers own instead of failing with a conflict.');
const gracePeriodSeconds = query('gracePeriodSeconds', 'integer', 'Seconds to wait before the object is deleted; 0 deletes immediately. Defaults to the per-type default.');
const ignoreStoreReadError = query(
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'boolean',
  'Delete the object even when its stored form can no longer be read or decoded. Dangerous; needs extra authorization.',
);
const orphanDependents = query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. Whether dependents are orphaned.');
const propagationPolicy = query('propagationPolicy', 'string', 'How dependents are garbage collected: Orphan, Background or Foreground.');

const allowWatchBookmarks = query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK watch events. The server may send them or not.');
const continueToken = query('continue', 'string', 'Token from a previous paginated list call, to fetch the next page.');
const fieldSelector = query('fieldSelector', 'string', 'Only return objects whose fields match this selector. Defaults to everything.');
const labelSelector = query('labelSelector', 'string', 'Only return objects whose labels match this selector. Defaults to everything.');
const limit = query('limit', 'integer', 'Maximum number of items in one page of a list; the response then carries a continue token if more remain.');
const resourceVersion = query('resourceVersion', 'string', 'Constrains which resourceVersion a list or watch is served at. Defaults to the most recent.');
const resourceVersionMatch = query('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.');
const sendInitialEvents = query('sendInitialEvents', 'boolean', 'With watch=true, begin the watch with synthetic events for the current state, ended by a bookmark.');
const timeoutSeconds = query('timeoutSeconds', 'integer', 'Time limit of a list or watch call, regardless of activity.');
const watch = query('watch', 'boolean', 'Stream changes as add, update and remove notifications instead of returning a list.');

export const listParameters = [
  allowWatchBookmarks,
  continueToken,
  fieldSelector,
  labelSelector,
  limit,
  resourceVersion,
  resourceVersionMatch,
  sendInitialEvents,
  timeoutSeconds,
  watch,
];
export const createParameters = [dryRun, fieldManager, fieldValidation];
export const updateParameters = [dryRun, fieldManager, fieldValidation];
export const patchParameters = [dryRun, fieldManager, fieldValidation, force];
export const deleteParameters = [dryRun, gracePeriodSeconds, ignoreStoreReadError, orphanDependents, propagationPolicy];
export const deleteCollectionParameters = [
  continueToken,
  dryRun,
  fieldSelector,
  gracePeriodSeconds,
  ignoreStoreReadError,
  labelSelector,
  limit,
  orphanDependents,
  propagationPolicy,
  resourceVersion,
  resourceVersionMatch,
  sendInitialEvents,
  timeoutSeconds,
];

/** pods/log's own parameters. */
export const logParameters = [
  query('container', 'string', 'The container to stream logs of; may be omitted when the pod has one container.'),
  query('follow', 'boolean', 'Keep streaming the log as it grows.'),
  query('insecureSkipTLSVerifyBackend', 'boolean', "Do not verify the serving certificate of the kubelet the log is read from."),
  query('limitBytes', 'integer', 'Stop after this many bytes of log output.'),
  query('previous', 'boolean', 'Return the log of the previous, terminated instance of the container.'),
  query('sinceSeconds', 'integer', 'Only return log lines newer than this many seconds.'),
  query('stream', 'string', 'Which stream to return: All, Stdout or Stderr.'),
  query('tailLines', 'integer', 'Only return this many lines from the end of the log.'),
  query('timestamps', 'boolean', 'Prefix every line with an RFC3339 timestamp.'),
];
