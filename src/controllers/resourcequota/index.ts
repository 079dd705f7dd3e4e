/** ResourceQuota controller factory. */
import type { ControllerFactory } from '../types.js';
import { ResourceQuotaController } from './resource-quota-controller.js';

export { ResourceQuotaController } from './resource-quota-controller.js';
export { podUsage, serviceUsage, pvcUsage, countUsage, podResources } from './usage.js';

export const resourceQuotaController: ControllerFactory = (ctx) => new ResourceQuotaController(ctx);
