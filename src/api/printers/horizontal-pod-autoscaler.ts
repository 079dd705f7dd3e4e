/**
 * HorizontalPodAutoscalers: REFERENCE, TARGETS (`cpu: 50%/80%`), MINPODS, MAXPODS, REPLICAS.
 * Reads autoscaling/v2 objects, and autoscaling/v1 ones through their CPU fields.
 */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, num, quantity, rec, str, type JsonRecord } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

/** Upstream's Quantity.String() on a nil pointer. */
const NIL = '<nil>';

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** autoscaling/v1 keeps one CPU target; upstream's conversion turns it into a v2 metric. */
function v2Metrics(hpa: JsonRecord): { specs: JsonRecord[]; statuses: JsonRecord[] } {
  const spec = rec(hpa.spec);
  const status = rec(hpa.status);
  if (hpa.apiVersion === 'autoscaling/v1') {
    const specs = typeof spec.targetCPUUtilizationPercentage === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }]
      : [];
    const statuses = typeof status.currentCPUUtilizationPercentage === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }]
      : [];
    return { specs, statuses };
  }
  return { specs: arr(spec.metrics), statuses: arr(status.currentMetrics) };
}

function valueOrAverage(kind: 'external' | 'object', spec: JsonRecord, status: JsonRecord | undefined): string {
  const target = rec(rec(spec[kind]).target);
  const source = status && present(status[kind]) ? rec(status[kind]) : undefined;
  const current = rec(source?.current);
  if (present(target.averageValue)) {
    const now = source && present(current.averageValue) ? quantity(current.averageValue) : '<unknown>';
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  const now = source ? quantity(current.value, NIL) : '<unknown>';
  return `${now}/${quantity(target.value, NIL)}`;
}

function resourceMetric(kind: 'resource' | 'containerResource', spec: JsonRecord, status: JsonRecord | undefined): string {
  const metric = rec(spec[kind]);
  const target = rec(metric.target);
  const source = status && present(status[kind]) ? rec(status[kind]) : undefined;
  const current = rec(source?.current);
  const name = str(metric.name);
  if (present(target.averageValue)) {
    const now = source ? quantity(current.averageValue, NIL) : '<unknown>';
    return `${name}: ${now}/${quantity(target.averageValue)}`;
  }
  const now = source && typeof current.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>';
  const want = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${want}`;
}

export function formatHPAMetrics(hpa: JsonRecord): string {
  const { specs, statuses } = v2Metrics(hpa);
  if (specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    const status = statuses[i];
    switch (spec.type) {
      case 'External':
        return valueOrAverage('external', spec, status);
      case 'Object':
        return valueOrAverage('object', spec, status);
      case 'Pods': {
        const now = status && present(status.pods) ? quantity(rec(rec(status.pods).current).averageValue, NIL) : '<unknown>';
        return `${now}/${quantity(rec(rec(spec.pods).target).averageValue, NIL)}`;
      }
      case 'Resource':
        return resourceMetric('resource', spec, status);
      case 'ContainerResource':
        return resourceMetric('containerResource', spec, status);
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} + ${list.length - max} more...` : shown;
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Reference', 'string', swaggerDoc.HorizontalPodAutoscalerSpec.scaleTargetRef),
    column('Targets', 'string', swaggerDoc.HorizontalPodAutoscalerSpec.metrics),
    column('MinPods', 'string', swaggerDoc.HorizontalPodAutoscalerSpec.minReplicas),
    column('MaxPods', 'string', swaggerDoc.HorizontalPodAutoscalerSpec.maxReplicas),
    column('Replicas', 'string', swaggerDoc.HorizontalPodAutoscalerStatus.currentReplicas),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const ref = rec(spec.scaleTargetRef);
    return [
      obj.metadata.name ?? '',
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHPAMetrics(obj as JsonRecord),
      typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '<unset>',
      num(spec.maxReplicas),
      num(rec(obj.status).currentReplicas),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

export const scalePrinter: Printer = {
  columns: [
    // Upstream gives this Name column no `name` format.
    column('Name', 'string', swaggerDoc.meta.name),
    column('Desired', 'integer', swaggerDoc.ScaleSpec.replicas),
    column('Available', 'integer', swaggerDoc.ScaleStatus.replicas),
    ageColumn,
  ],
  row(obj, now) {
    return [
      obj.metadata.name ?? '',
      num(rec(obj.spec).replicas),
      num(rec(obj.status).replicas),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
