import type { ControllerFactory } from '../types.js';
import { CronJobController } from './cronjob-controller.js';

export { CronJobController, jobNameFor, CRONJOB_SCHEDULED_TIMESTAMP } from './cronjob-controller.js';
export { parseSchedule, type Schedule } from './schedule.js';

export const cronJobController: ControllerFactory = (ctx) => new CronJobController(ctx);
