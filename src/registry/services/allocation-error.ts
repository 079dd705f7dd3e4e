/** Why a specific value could not be allocated; messages are upstream's, users see them. */
import { SkiffError } from '../../base/errors.js';

export type AllocationErrorCode = 'Allocated' | 'NotInRange' | 'Full';

export class AllocationError extends SkiffError {
  constructor(
    override readonly code: AllocationErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
