/**
 * Field errors in upstream's shape (apimachinery pkg/util/validation/field/errors.go).
 * The apiserver turns a non-empty list into a 422 Invalid Status whose causes are these.
 */
export type FieldErrorReason =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  reason: FieldErrorReason;
  /** Dotted path with indices, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  /** The text after `field: `, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  message: string;
}

/** Formats a value the way upstream's field errors quote it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function required(field: string, detail = ''): FieldError {
  return { reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' };
}

export function invalid(field: string, value: unknown, detail = ''): FieldError {
  const v = formatValue(value);
  return { reason: 'FieldValueInvalid', field, message: detail ? `Invalid value: ${v}: ${detail}` : `Invalid value: ${v}` };
}

export function notSupported(field: string, value: unknown, valid: string[]): FieldError {
  const list = valid.map((s) => JSON.stringify(s)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${formatValue(value)}${valid.length ? `: supported values: ${list}` : ''}`,
  };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` };
}

export function tooLong(field: string, max: number): FieldError {
  return { reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${max} bytes` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { reason: 'FieldValueTooMany', field, message: `Too many: ${actual}: must have at most ${max} items` };
}

export function notFound(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueNotFound', field, message: `Not found: ${formatValue(value)}` };
}

export function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return { reason: 'FieldValueTypeInvalid', field, message: `Invalid value: ${formatValue(value)}: ${detail}` };
}

/** Builds field paths: path('spec').child('containers').index(0).key('app') */
export class FieldPath {
  constructor(private readonly s = '') {}
  child(name: string): FieldPath {
    return new FieldPath(this.s ? `${this.s}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.s}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.s}[${k}]`);
  }
  toString(): string {
    return this.s;
  }
}

export function path(root = ''): FieldPath {
  return new FieldPath(root);
}
