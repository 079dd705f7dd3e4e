/** ServiceAccount controller factory. */
import type { ControllerFactory } from '../types.js';
import { ServiceAccountsController } from './serviceaccounts-controller.js';

export { ServiceAccountsController, DEFAULT_SERVICE_ACCOUNTS } from './serviceaccounts-controller.js';

export const serviceAccountController: ControllerFactory = (ctx) => new ServiceAccountsController(ctx);
