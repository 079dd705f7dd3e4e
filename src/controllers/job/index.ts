import type { ControllerFactory } from '../types.js';
import { JobController } from './job-controller.js';

export { JobController } from './job-controller.js';
export { isJobFinished, finishedCondition } from './job-conditions.js';

export const jobController: ControllerFactory = (ctx) => new JobController(ctx);
