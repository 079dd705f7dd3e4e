/** batch/v1 (upstream pkg/apis/batch/validation/validation.go). */
import { type FieldError, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { maxLenError, nameIsDNSSubdomain } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { validateLabelSelector, isEmptySelector, selectorMatches } from './labels.js';
import { goLabelSelector, goStringMap, invalidRendered } from './go-format.js';
import { validatePodTemplateSpec } from './pod.js';
import { SELECTOR_MISMATCH, nonNegative } from './workload.js';
import { cronScheduleError } from './cron.js';
import { rec, str, isSet, type Json } from './json-access.js';

const meta = { namespaced: true, name: nameIsDNSSubdomain };
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];
const COMPLETION_MODES = ['NonIndexed', 'Indexed'];

/** Job spec checks shared by Jobs and CronJob job templates. */
function validateJobSpecCommon(spec: Json, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...nonNegative(spec[key], `${field}.${key}`));
  }
  if (isSet(spec.activeDeadlineSeconds) && !(typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds > 0)) {
    errs.push(invalid(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be greater than 0'));
  }
  const mode = str(spec.completionMode);
  if (mode && !COMPLETION_MODES.includes(mode)) errs.push(notSupported(`${field}.completionMode`, mode, COMPLETION_MODES));
  if (mode === 'Indexed' && !isSet(spec.completions)) {
    errs.push(required(`${field}.completions`, 'when completion mode is Indexed'));
  }
  const template = rec(spec.template);
  errs.push(...validatePodTemplateSpec(template, `${field}.template`));
  const restartPolicy = rec(template?.spec)?.restartPolicy;
  if (template && !JOB_RESTART_POLICIES.includes(String(restartPolicy))) {
    errs.push(notSupported(`${field}.template.spec.restartPolicy`, restartPolicy ?? '', JOB_RESTART_POLICIES));
  }
  return errs;
}

export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  // NOTE: without manualSelector the job strategy generates the selector before validation
  // (defaults/batch.ts generateJobSelector), so a missing one only matters for manual selectors.
  if (!isSet(spec.selector)) {
    if (spec.manualSelector === true) errs.push(required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    const labels = rec(rec(spec.template)?.metadata)?.labels;
    if (!isEmptySelector(spec.selector) && !selectorMatches(spec.selector, labels)) {
      errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
    }
  }
  errs.push(...validateJobSpecCommon(spec, 'spec'));
  if (old) {
    const oldSpec = rec(old.spec) ?? {};
    if (!deepEqual(spec.selector, oldSpec.selector)) {
      errs.push(invalidRendered('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
    }
    errs.push(...validateImmutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode'));
    const elasticIndexed = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && oldSpec.completions === oldSpec.parallelism;
    if (!elasticIndexed) errs.push(...validateImmutable(spec.completions, oldSpec.completions, 'spec.completions'));
    // A suspended job's template may change (scheduling directives); a running job's may not.
    if (!(oldSpec.suspend === true) && !deepEqual(spec.template, oldSpec.template)) {
      errs.push(invalid('spec.template', spec.template ?? null, 'field is immutable'));
    }
  }
  return errs;
}

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
const CRONJOB_NAME_MAX = 52;

function validateTimeZone(tz: unknown, errs: FieldError[]): void {
  if (!isSet(tz)) return;
  const zone = String(tz);
  if (zone === '') {
    errs.push(invalid('spec.timeZone', zone, 'timeZone must be nil or non-empty string'));
    return;
  }
  if (zone.toLowerCase() === 'local') {
    errs.push(invalid('spec.timeZone', zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
    return;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    errs.push(invalid('spec.timeZone', zone, `unknown time zone ${zone}`));
  }
}

export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const name = obj.metadata.name ?? '';
  if (!old && name.length > CRONJOB_NAME_MAX) errs.push(invalid('metadata.name', name, maxLenError(CRONJOB_NAME_MAX)));
  const spec = rec(obj.spec) ?? {};
  const schedule = str(spec.schedule) ?? '';
  if (!schedule) errs.push(required('spec.schedule'));
  else if (/(^|\s)(CRON_)?TZ=/.test(schedule)) {
    errs.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  } else {
    const problem = cronScheduleError(schedule);
    if (problem) errs.push(invalid('spec.schedule', schedule, problem));
  }
  validateTimeZone(spec.timeZone, errs);
  const policy = str(spec.concurrencyPolicy) ?? '';
  if (!policy) errs.push(required('spec.concurrencyPolicy'));
  else if (!CONCURRENCY_POLICIES.includes(policy)) errs.push(notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  for (const key of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    errs.push(...nonNegative(spec[key], `spec.${key}`));
  }
  const jobSpec = rec(rec(spec.jobTemplate)?.spec);
  if (!jobSpec) errs.push(required('spec.jobTemplate.spec'));
  else {
    if (isSet(jobSpec.selector)) {
      errs.push(invalidRendered('spec.jobTemplate.spec.selector', goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
    }
    errs.push(...validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec'));
  }
  return errs;
}
