/** The built-in controllers, in one explicit list (no registration by import side effects). */
import type { ControllerFactory } from './types.js';

export function builtinControllers(): ControllerFactory[] {
  return [];
}
