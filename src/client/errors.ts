/** Errors the API answered with, as typed values (client-go's apierrors). */
import { SkiffError } from '../base/errors.js';

export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

export class ApiError extends SkiffError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body?: StatusBody,
  ) {
    super(`Api${status}`, message);
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404;
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.status === 409 && e.reason === 'AlreadyExists';
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.status === 409 && e.reason === 'Conflict';
export const isGone = (e: unknown): boolean => e instanceof ApiError && (e.status === 410 || e.reason === 'Expired' || e.reason === 'Gone');
export const isTooManyRequests = (e: unknown): boolean => e instanceof ApiError && e.status === 429;
export const isInvalid = (e: unknown): boolean => e instanceof ApiError && e.status === 422;
