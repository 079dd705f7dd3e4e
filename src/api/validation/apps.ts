/** apps/v1 (upstream pkg/apis/apps/validation/validation.go). */
import { type FieldError, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { goLabelSelector, invalidRendered } from './go-format.js';
import {
  goIntOrString, isZeroIntOrPercent, nonNegative, validateIntOrPercent, validateSelector, validateTemplateForSelector,
} from './workload.js';
import { validatePersistentVolumeClaimSpec } from './persistent-volume-claim.js';
import { list, rec, str, isSet, type Json } from './json-access.js';

const meta = { namespaced: true, name: nameIsDNSSubdomain };

function selectorImmutable(spec: Json, oldSpec: Json): FieldError[] {
  return deepEqual(spec.selector, oldSpec.selector)
    ? []
    : [invalidRendered('spec.selector', goLabelSelector(spec.selector), 'field is immutable')];
}

function validateRollingUpdate(ru: Json, field: string): FieldError[] {
  const errs = [
    ...validateIntOrPercent(ru.maxUnavailable, `${field}.maxUnavailable`),
    ...validateIntOrPercent(ru.maxSurge, `${field}.maxSurge`),
  ];
  if (isZeroIntOrPercent(ru.maxUnavailable) && (isZeroIntOrPercent(ru.maxSurge) || !isSet(ru.maxSurge))) {
    errs.push(invalidRendered(`${field}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

function validateDeploymentStrategy(strategy: Json | undefined): FieldError[] {
  const s = strategy ?? {};
  const errs: FieldError[] = [];
  const rollingUpdate = rec(s.rollingUpdate);
  switch (s.type) {
    case 'Recreate':
      if (rollingUpdate) errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate':
      if (!rollingUpdate) errs.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
      else errs.push(...validateRollingUpdate(rollingUpdate, 'spec.strategy.rollingUpdate'));
      break;
    default:
      errs.push(notSupported('spec.strategy.Type', s.type ?? '', ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateSelector(spec.selector, 'spec.selector', 'deployment'));
  errs.push(...validateTemplateForSelector(spec.template, spec.selector, 'spec.template', 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(rec(spec.strategy)));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (isSet(spec.progressDeadlineSeconds)) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds <= Number(spec.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...selectorImmutable(spec, rec(old.spec) ?? {}));
  return errs;
}

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  // NOTE: upstream words the ReplicaSet error "for deployment" too.
  errs.push(...validateSelector(spec.selector, 'spec.selector', 'deployment'));
  errs.push(...validateTemplateForSelector(spec.template, spec.selector, 'spec.template', 'ReplicaSet'));
  if (old) errs.push(...selectorImmutable(spec, rec(old.spec) ?? {}));
  return errs;
}

const STATEFULSET_UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const RETENTION = ['Retain', 'Delete'];

/**
 * Containers of a StatefulSet mount its volumeClaimTemplates by name; for validation the
 * template is seen with one PVC volume per claim template (as the controller's pods will be).
 */
function withClaimVolumes(template: unknown, claims: unknown): unknown {
  const t = rec(template);
  const names = list(claims).map((c) => str(rec(c.metadata)?.name)).filter((n): n is string => !!n);
  if (!t || names.length === 0) return template;
  const podSpec = rec(t.spec) ?? {};
  const volumes = [...list(podSpec.volumes)];
  for (const name of names) {
    if (!volumes.some((v) => v.name === name)) volumes.push({ name, persistentVolumeClaim: { claimName: name } });
  }
  return { ...t, spec: { ...podSpec, volumes } };
}

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  const policy = spec.podManagementPolicy;
  if (!str(policy)) errs.push(required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = rec(spec.updateStrategy) ?? {};
  switch (strategy.type) {
    case undefined:
    case '':
      errs.push(required('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (rec(strategy.rollingUpdate)) {
        errs.push(invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      errs.push(...nonNegative(rec(strategy.rollingUpdate)?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
      break;
    default:
      errs.push(invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = rec(spec.persistentVolumeClaimRetentionPolicy);
  for (const key of ['whenDeleted', 'whenScaled']) {
    const v = retention?.[key];
    if (isSet(v) && !RETENTION.includes(String(v))) {
      errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, v, RETENTION));
    }
  }
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelector(spec.selector, 'spec.selector', 'statefulset'));
  errs.push(...validateTemplateForSelector(withClaimVolumes(spec.template, spec.volumeClaimTemplates), spec.selector, 'spec.template', 'StatefulSet'));
  list(spec.volumeClaimTemplates).forEach((claim, i) => {
    errs.push(...validatePersistentVolumeClaimSpec(rec(claim.spec) ?? {}, `spec.volumeClaimTemplates[${i}].spec`));
  });
  if (old) {
    const oldSpec = rec(old.spec) ?? {};
    const frozen = (s: Json) => Object.fromEntries(Object.entries(s).filter(([k]) => !STATEFULSET_UPDATABLE.includes(k)));
    if (!deepEqual(frozen(spec), frozen(oldSpec))) {
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  errs.push(...validateSelector(spec.selector, 'spec.selector', 'daemonset'));
  errs.push(...validateTemplateForSelector(spec.template, spec.selector, 'spec.template', 'DaemonSet'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const strategy = rec(spec.updateStrategy) ?? {};
  if (strategy.type === 'RollingUpdate') {
    const ru = rec(strategy.rollingUpdate);
    if (!ru) errs.push(required('spec.updateStrategy.rollingUpdate'));
    else errs.push(...validateRollingUpdate(ru, 'spec.updateStrategy.rollingUpdate'));
  } else if (strategy.type !== 'OnDelete') {
    errs.push(notSupported('spec.updateStrategy', strategy.type ?? '', ['RollingUpdate', 'OnDelete']));
  }
  if (old) errs.push(...selectorImmutable(spec, rec(old.spec) ?? {}));
  return errs;
}

export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  if (!isSet(obj.data)) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative(obj.revision, 'revision'));
  if (old && !deepEqual(obj.data, old.data)) errs.push(invalid('data', obj.data ?? null, 'field is immutable'));
  return errs;
}
