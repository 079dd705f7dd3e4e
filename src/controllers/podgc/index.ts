/** Pod GC controller factory. */
import type { ControllerFactory } from '../types.js';
import { PodGCController } from './podgc-controller.js';

export { PodGCController, DEFAULT_TERMINATED_POD_THRESHOLD, GC_CHECK_PERIOD_MS, QUARANTINE_MS } from './podgc-controller.js';

export const podGCController: ControllerFactory = (ctx) => new PodGCController(ctx);
