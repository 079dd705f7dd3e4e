/** autoscaling: v2 is the preferred version; v1 is still served. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import * as d from '../defaults/autoscaling.js';
import * as v from '../validation/autoscaling.js';

export function autoscalingResources(): ResourceType[] {
  return (['v2', 'v1'] as const).map((version) =>
    row({
      group: 'autoscaling', version, plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler',
      kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'],
      subresources: [statusSubresource('HorizontalPodAutoscaler')],
      generation: true,
      defaults: version === 'v2' ? d.defaultHorizontalPodAutoscalerV2 : d.defaultHorizontalPodAutoscalerV1,
      validate: version === 'v2' ? v.validateHorizontalPodAutoscalerV2 : v.validateHorizontalPodAutoscalerV1,
    }),
  );
}
