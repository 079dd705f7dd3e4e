/** autoscaling v1 and v2 HorizontalPodAutoscalers. */
import { type FieldError, invalid, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateMeta } from './object-meta.js';
import { rec, str, isSet, type Json } from './json-access.js';

function validateCommon(obj: KubeObject, old: KubeObject | undefined): [FieldError[], Json] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNSSubdomain });
  const spec = rec(obj.spec) ?? {};
  const ref = rec(spec.scaleTargetRef) ?? {};
  if (!str(ref.kind)) errs.push(required('spec.scaleTargetRef.kind'));
  if (!str(ref.name)) errs.push(required('spec.scaleTargetRef.name'));
  const min = spec.minReplicas;
  if (isSet(min) && !(typeof min === 'number' && min >= 1)) {
    errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  }
  const max = spec.maxReplicas;
  if (!(typeof max === 'number' && max >= 1)) errs.push(invalid('spec.maxReplicas', max ?? 0, 'must be greater than 0'));
  else if (typeof min === 'number' && max < min) {
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  return [errs, spec];
}

export function validateHorizontalPodAutoscalerV1(obj: KubeObject, old?: KubeObject): FieldError[] {
  const [errs, spec] = validateCommon(obj, old);
  const target = spec.targetCPUUtilizationPercentage;
  if (isSet(target) && !(typeof target === 'number' && target >= 1)) {
    errs.push(invalid('spec.targetCPUUtilizationPercentage', target, 'must be greater than or equal to 1'));
  }
  return errs;
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

export function validateHorizontalPodAutoscalerV2(obj: KubeObject, old?: KubeObject): FieldError[] {
  const [errs, spec] = validateCommon(obj, old);
  (Array.isArray(spec.metrics) ? spec.metrics : []).forEach((m: unknown, i: number) => {
    const metric = rec(m) ?? {};
    const type = str(metric.type) ?? '';
    if (!type) errs.push(required(`spec.metrics[${i}].type`));
    else if (!METRIC_TYPES.includes(type)) {
      errs.push({
        reason: 'FieldValueNotSupported',
        field: `spec.metrics[${i}].type`,
        message: `Unsupported value: ${JSON.stringify(type)}: supported values: ${METRIC_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
      });
    }
  });
  return errs;
}
