import type { ControllerFactory } from '../types.js';
import { TTLAfterFinishedController } from './ttl-after-finished-controller.js';

export { TTLAfterFinishedController } from './ttl-after-finished-controller.js';

export const ttlAfterFinishedController: ControllerFactory = (ctx) => new TTLAfterFinishedController(ctx);
