import type { ControllerFactory } from '../types.js';
import { PersistentVolumeBinderController } from './persistent-volume-controller.js';

export { PersistentVolumeBinderController } from './persistent-volume-controller.js';
export { findBestMatch } from './matching.js';
export const persistentVolumeBinderController: ControllerFactory = (ctx) => new PersistentVolumeBinderController(ctx);
