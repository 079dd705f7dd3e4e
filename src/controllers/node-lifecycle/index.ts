import type { ControllerFactory } from '../types.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';

export { NodeLifecycleController, evictionTime } from './node-lifecycle-controller.js';
export const nodeLifecycleController: ControllerFactory = (ctx) => new NodeLifecycleController(ctx);
