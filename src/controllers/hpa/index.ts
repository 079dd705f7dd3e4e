import type { ControllerContext } from '../types.js';
import { HorizontalPodAutoscalerController } from './hpa-controller.js';
import type { MetricsSource } from './metrics-source.js';

export { HorizontalPodAutoscalerController } from './hpa-controller.js';
export { noMetricsSource, type MetricsSource, type PodMetric } from './metrics-source.js';
export { MetricsApiSource } from './metrics-api-source.js';
export const horizontalPodAutoscalerController = (ctx: ControllerContext, source?: MetricsSource) => new HorizontalPodAutoscalerController(ctx, source);
