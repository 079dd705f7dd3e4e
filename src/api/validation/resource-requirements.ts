/** Container resource requests and limits (upstream ValidateResourceRequirements). */
import { type FieldError, invalid } from '../field-errors.js';
import { parseQuantity, type Quantity } from '../quantity.js';
import { isQualifiedName } from './names.js';
import { rec } from './json-access.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Extended resources (domain-qualified, outside kubernetes.io) and hugepages cannot be overcommitted. */
function isOvercommitAllowed(name: string): boolean {
  if (isHugePages(name)) return false;
  if (!name.includes('/')) return true;
  return name.startsWith('kubernetes.io/') || name.includes('.kubernetes.io/');
}

function validateResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(field, name, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
    return [invalid(field, name, 'must be a standard resource for containers')];
  }
  return [];
}

/** Parses and checks a quantity, returning it when valid. */
export function validateQuantity(value: unknown, field: string, errs: FieldError[]): Quantity | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') {
    errs.push(invalid(field, value ?? null, 'must be a string or a number'));
    return undefined;
  }
  const parsed = parseQuantity(text);
  if (!parsed.ok) {
    errs.push(invalid(field, text, parsed.error));
    return undefined;
  }
  if (parsed.quantity.sign() < 0) {
    errs.push(invalid(field, parsed.quantity.toString(), 'must be greater than or equal to 0'));
    return undefined;
  }
  return parsed.quantity;
}

function readList(list: unknown, field: string, errs: FieldError[]): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(rec(list) ?? {})) {
    const p = `${field}[${name}]`;
    errs.push(...validateResourceName(name, p));
    const q = validateQuantity(value, p, errs);
    if (!q) continue;
    if (!name.includes('/') || isHugePages(name) || STANDARD_CONTAINER_RESOURCES.has(name)) {
      out.set(name, q);
      continue;
    }
    if (q.nanos % 1_000_000_000n !== 0n) errs.push(invalid(p, q.toString(), 'must be an integer'));
    out.set(name, q);
  }
  return out;
}

export function validateResourceRequirements(resources: unknown, field: string): FieldError[] {
  const r = rec(resources);
  if (!r) return [];
  const errs: FieldError[] = [];
  const limits = readList(r.limits, `${field}.limits`, errs);
  const requests = readList(r.requests, `${field}.requests`, errs);
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (!limit) continue;
    if (!isOvercommitAllowed(name) && request.cmp(limit) !== 0) {
      errs.push(invalid(`${field}.requests`, request.toString(), `must be equal to ${name} limit of ${limit}`));
    } else if (request.cmp(limit) > 0) {
      errs.push(invalid(`${field}.requests`, request.toString(), `must be less than or equal to ${name} limit of ${limit}`));
    }
  }
  return errs;
}
