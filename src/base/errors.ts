/**
 * Base error: every layer derives typed errors with a stable `code` from this one,
 * so callers branch on `code`, never on message text.
 */
export class SkiffError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
