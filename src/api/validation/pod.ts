/** Pods and pod templates (upstream ValidatePodSpec, ValidatePodCreate, ValidatePodUpdate). */
import { type FieldError, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepCopy, deepEqual } from '../object.js';
import { isDNS1123Label, isDNS1123Subdomain, inclusiveRangeError, nameIsDNSSubdomain } from './names.js';
import { validateAnnotations, validateLabelName, validateLabels } from './labels.js';
import { validateMeta } from './object-meta.js';
import { validateVolumes } from './volumes.js';
import { validateContainer, type ContainerContext } from './container.js';
import { list, rec, str, isSet, type Json } from './json-access.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((t, i) => {
    const p = `${field}[${i}]`;
    const key = str(t.key) ?? '';
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    const operator = str(t.operator) ?? '';
    if (!key && operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (isSet(t.tolerationSeconds) && t.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    if (operator === 'Exists' && str(t.value)) {
      errs.push(invalid(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else if (operator !== '' && operator !== 'Equal' && operator !== 'Exists') {
      errs.push(notSupported(`${p}.operator`, operator, ['Equal', 'Exists']));
    }
    if (str(t.effect) && !TAINT_EFFECTS.includes(t.effect as string)) {
      errs.push(notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    }
  });
  return errs;
}

export interface PodSpecOptions {
  /** Restart policies the owner allows (workloads: Always; jobs: OnFailure/Never). */
  restartPolicies?: string[];
}

export function validatePodSpec(spec: Json | undefined, field: string, opts: PodSpecOptions = {}): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  const volumes = validateVolumes(s.volumes, `${field}.volumes`, errs);
  const ctx: ContainerContext = { volumes, names: new Set(), regular: false };
  list(s.initContainers).forEach((c, i) => errs.push(...validateContainer(c, `${field}.initContainers[${i}]`, ctx)));
  const containers = list(s.containers);
  if (containers.length === 0) errs.push(required(`${field}.containers`));
  ctx.regular = true;
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${field}.containers[${i}]`, ctx)));
  ctx.regular = false;
  list(s.ephemeralContainers).forEach((c, i) => errs.push(...validateContainer(c, `${field}.ephemeralContainers[${i}]`, ctx)));

  const restartPolicy = str(s.restartPolicy) ?? '';
  if (!restartPolicy) errs.push(required(`${field}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(restartPolicy)) errs.push(notSupported(`${field}.restartPolicy`, restartPolicy, RESTART_POLICIES));
  else if (opts.restartPolicies && !opts.restartPolicies.includes(restartPolicy)) {
    errs.push(notSupported(`${field}.restartPolicy`, restartPolicy, opts.restartPolicies));
  }
  const dnsPolicy = str(s.dnsPolicy) ?? '';
  if (!dnsPolicy) errs.push(required(`${field}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(`${field}.dnsPolicy`, dnsPolicy, DNS_POLICIES));
  else if (dnsPolicy === 'None' && !rec(s.dnsConfig)) {
    errs.push(required(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  errs.push(...validateLabels(s.nodeSelector, `${field}.nodeSelector`));
  for (const key of ['serviceAccountName', 'nodeName'] as const) {
    const v = str(s[key]);
    if (v) for (const msg of isDNS1123Subdomain(v)) errs.push(invalid(`${field}.${key}`, v, msg));
  }
  for (const key of ['hostname', 'subdomain'] as const) {
    const v = str(s[key]);
    if (v) for (const msg of isDNS1123Label(v)) errs.push(invalid(`${field}.${key}`, v, msg));
  }
  const deadline = s.activeDeadlineSeconds;
  if (isSet(deadline) && !(Number.isInteger(deadline) && (deadline as number) >= 1 && (deadline as number) <= MAX_INT32)) {
    errs.push(invalid(`${field}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...validateTolerations(s.tolerations, `${field}.tolerations`));
  return errs;
}

/** A pod template inside a workload: template labels/annotations and its pod spec. */
export function validatePodTemplateSpec(template: unknown, field: string, opts: PodSpecOptions = {}): FieldError[] {
  const t = rec(template);
  if (!t) return [required(field)];
  const meta = rec(t.metadata) ?? {};
  return [
    ...validateLabels(meta.labels, `${field}.metadata.labels`),
    ...validateAnnotations(meta.annotations, `${field}.metadata.annotations`),
    ...validatePodSpec(rec(t.spec), `${field}.spec`, opts),
  ];
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/**
 * Copies into `old` what a pod update may change, so that any remaining difference is forbidden.
 * Returns the changed field names for the message.
 */
function mungedSpecDiff(spec: Json, oldSpec: Json): string[] {
  const munged = deepCopy(oldSpec);
  for (const key of ['containers', 'initContainers']) {
    const now = list(spec[key]);
    list(munged[key]).forEach((c, i) => {
      if (now[i] && isSet(now[i]!.image)) c.image = now[i]!.image;
    });
  }
  if (isSet(spec.activeDeadlineSeconds)) munged.activeDeadlineSeconds = spec.activeDeadlineSeconds;
  const oldTolerations = list(oldSpec.tolerations);
  const newTolerations = list(spec.tolerations);
  if (oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t)))) munged.tolerations = spec.tolerations;
  const grace = oldSpec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = 1;
  }
  const gates = list(spec.schedulingGates);
  if (gates.every((g) => list(oldSpec.schedulingGates).some((o) => deepEqual(o, g)))) munged.schedulingGates = spec.schedulingGates;
  const keys = new Set([...Object.keys(munged), ...Object.keys(spec)]);
  return [...keys].filter((k) => !deepEqual(munged[k], spec[k])).sort();
}

export function validatePod(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNSSubdomain });
  const spec = rec(obj.spec);
  errs.push(...validatePodSpec(spec, 'spec'));
  if (old) {
    const changed = mungedSpecDiff(spec ?? {}, rec(old.spec) ?? {});
    if (changed.length > 0) {
      const detail = changed.map((k) => `  spec.${k}: changed`).join('\n');
      errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${detail}`));
    }
  }
  return errs;
}
