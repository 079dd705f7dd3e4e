/**
 * resource.Quantity (apimachinery pkg/api/resource): parsing and canonical formatting.
 * Values are held exactly as a count of nano-units; anything finer rounds up (away from
 * zero) to 1n, like upstream. Values beyond ±1e24 are refused instead of growing without bound.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** Upstream's parse error texts. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';

const NANO = 10n ** 9n;
const LIMIT_NANOS = 10n ** 24n * NANO;
const MAX_EXPONENT = 30;

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const SHAPE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/;

export class Quantity {
  constructor(
    /** The exact value in units of 1e-9. */
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  /** Upstream's canonical string (what the apiserver writes back). */
  toString(): string {
    return formatQuantity(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }

  /** -1, 0 or 1. */
  cmp(other: Quantity): number {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): number {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  /** Whole units, rounded up (upstream Value()). */
  value(): number {
    return Number(ceilDiv(this.nanos, NANO));
  }

  /** Milli-units, rounded up (upstream MilliValue()). */
  milliValue(): number {
    return Number(ceilDiv(this.nanos, 10n ** 6n));
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

export type ParsedQuantity = { ok: true; quantity: Quantity } | { ok: false; error: string };

function fail(error: string): ParsedQuantity {
  return { ok: false, error };
}

/** Parses the resource.Quantity grammar: a signed decimal number and an SI, binary or exponent suffix. */
export function parseQuantity(input: string): ParsedQuantity {
  if (input.length === 0 || input.length > 256) return fail(QUANTITY_FORMAT_ERROR);
  const m = SHAPE.exec(input);
  if (!m) return fail(QUANTITY_FORMAT_ERROR);
  const negative = m[1] === '-';
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  const suffix = m[4] ?? '';
  if (whole === '' && fraction === '') return fail(QUANTITY_FORMAT_ERROR);
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) return fail(QUANTITY_FORMAT_ERROR);

  let format: QuantityFormat;
  let exp10 = 0;
  let exp1024 = 0;
  if (suffix in BINARY) {
    format = 'BinarySI';
    exp1024 = BINARY[suffix]!;
  } else if (suffix in DECIMAL) {
    format = 'DecimalSI';
    exp10 = DECIMAL[suffix]!;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    const e = Number(suffix.slice(1));
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT + 9) return fail(QUANTITY_NUMERIC_ERROR);
    exp10 = e;
  } else {
    return fail(QUANTITY_SUFFIX_ERROR);
  }

  // value = digits × 10^(exp10 − len(fraction)) × 1024^exp1024, expressed in nanos.
  const digits = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
  let numerator = digits * 1024n ** BigInt(exp1024);
  const shift = exp10 - fraction.length + 9;
  let nanos: bigint;
  if (shift >= 0) {
    if (whole.replace(/^0+/, '').length + exp10 > MAX_EXPONENT) return fail(QUANTITY_NUMERIC_ERROR);
    nanos = numerator * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    nanos = numerator / divisor;
    if (numerator % divisor !== 0n) nanos += 1n;
    numerator = 0n;
  }
  if (nanos > LIMIT_NANOS) return fail(QUANTITY_NUMERIC_ERROR);
  return { ok: true, quantity: new Quantity(negative ? -nanos : nanos, format) };
}

/** The canonical string of a parsed quantity; throws on a malformed one. */
export function canonicalQuantity(input: string): string {
  const parsed = parseQuantity(input);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.quantity.toString();
}

function formatQuantity(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  if (format === 'BinarySI' && abs % NANO === 0n && abs >= 1024n * NANO) {
    let units = abs / NANO;
    let k = 0;
    while (k < 6 && units % 1024n === 0n) {
      units /= 1024n;
      k++;
    }
    return `${sign}${units}${BINARY_SUFFIX[k]}`;
  }
  // Largest exponent (a multiple of 3, at least -9) that keeps the mantissa whole.
  let mantissa = abs;
  let exp = -9;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIX[exp]}`;
}
