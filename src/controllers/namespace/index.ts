/** Namespace lifecycle controller factory. */
import type { ControllerFactory } from '../types.js';
import { NamespaceController } from './namespace-controller.js';

export { NamespaceController, FINALIZER_KUBERNETES } from './namespace-controller.js';
export { discover, kindKey, supportsVerbs, type Discovery, type DiscoveredResource } from './discovery.js';

export const namespaceController: ControllerFactory = (ctx) => new NamespaceController(ctx);
