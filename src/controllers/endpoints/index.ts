import type { ControllerFactory } from '../types.js';
import { EndpointsController } from './endpoints-controller.js';

export { EndpointsController } from './endpoints-controller.js';
export const endpointsController: ControllerFactory = (ctx) => new EndpointsController(ctx);
