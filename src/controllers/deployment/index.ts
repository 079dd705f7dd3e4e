/** Factory for the Deployment controller. */
import type { ControllerFactory } from '../types.js';
import { DeploymentController } from './deployment-controller.js';

export { DeploymentController } from './deployment-controller.js';
export { computeHash } from './pod-template-hash.js';

export const deploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx);
