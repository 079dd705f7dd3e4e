/** batch/v1 defaulting (upstream pkg/apis/batch/v1/defaults.go). */
import type { KubeObject } from '../object.js';
import { child, existing, isUnset, items, setDefault, setDefaultString } from './set-default.js';
import { defaultPodTemplateSpec } from './pod.js';

const MAX_INT32 = 2147483647;

export function defaultJob(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  // A non-parallel job may leave both unset; then both are 1.
  if (isUnset(spec.completions) && isUnset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', isUnset(spec.backoffLimitPerIndex) ? 6 : MAX_INT32);
  const template = existing(spec, 'template');
  const templateLabels = existing(existing(template, 'metadata'), 'labels');
  if (templateLabels && (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0)) {
    obj.metadata.labels = { ...(templateLabels as Record<string, string>) };
  }
  setDefaultString(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const podFailurePolicy = existing(spec, 'podFailurePolicy');
  for (const rule of items(podFailurePolicy, 'rules')) {
    for (const pattern of items(rule, 'onPodConditions')) setDefaultString(pattern, 'status', 'True');
  }
  setDefaultString(spec, 'podReplacementPolicy', podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplateSpec(template);
}

export function defaultCronJob(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefaultString(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  defaultPodTemplateSpec(existing(existing(existing(spec, 'jobTemplate'), 'spec'), 'template'));
}

/**
 * The job strategy's selector generation (upstream PrepareForCreate → generateSelector): unless
 * `spec.manualSelector` is true, the selector and template labels are derived from the job's
 * uid and name. Call on create after the uid is assigned, before validation.
 */
export function generateJobSelector(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  const uid = obj.metadata.uid;
  const name = obj.metadata.name;
  if (!spec || spec.manualSelector === true || !uid) return;
  const template = child(spec, 'template');
  const metadata = template && child(template, 'metadata');
  const labels = metadata && child(metadata, 'labels');
  if (!labels) return;
  const generated: Record<string, string> = {
    'batch.kubernetes.io/controller-uid': uid,
    'controller-uid': uid,
  };
  if (name) {
    generated['batch.kubernetes.io/job-name'] = name;
    generated['job-name'] = name;
  }
  for (const [k, v] of Object.entries(generated)) if (isUnset(labels[k])) labels[k] = v;
  if (isUnset(spec.selector)) spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}
