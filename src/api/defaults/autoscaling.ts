/** autoscaling defaulting (upstream pkg/apis/autoscaling/v1 and v2 defaults.go). */
import type { KubeObject } from '../object.js';
import { child, existing, isUnset, setDefault, type Json } from './set-default.js';

function scaleUpRules(): Json {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

function scaleDownRules(): Json {
  return {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

/** Fills every unset field of the given rules from the defaults. */
function fillRules(behavior: Json, key: string, defaults: Json): void {
  const rules = existing(behavior, key);
  if (!rules) {
    behavior[key] = defaults;
    return;
  }
  for (const [field, value] of Object.entries(defaults)) {
    if (isUnset(rules[field]) || (Array.isArray(rules[field]) && (rules[field] as unknown[]).length === 0)) {
      rules[field] = value;
    }
  }
}

export function defaultHorizontalPodAutoscalerV2(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ];
  }
  // Behavior is only completed when the user gave one.
  const behavior = existing(spec, 'behavior');
  if (behavior) {
    fillRules(behavior, 'scaleUp', scaleUpRules());
    fillRules(behavior, 'scaleDown', scaleDownRules());
  }
}

export function defaultHorizontalPodAutoscalerV1(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (spec) setDefault(spec, 'minReplicas', 1);
}
