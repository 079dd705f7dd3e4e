import type { ControllerFactory } from '../types.js';
import { NodeIpamController } from './node-ipam-controller.js';

export { NodeIpamController } from './node-ipam-controller.js';
export { CidrSet } from './cidr-set.js';
export const nodeIpamController: ControllerFactory = (ctx) => new NodeIpamController(ctx);
