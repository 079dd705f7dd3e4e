/**
 * The JSON forms Go gives apimachinery's time types: metav1.Time as RFC 3339 in UTC with whole
 * seconds, metav1.MicroTime with exactly six fractional digits, metav1.Duration as
 * time.Duration.String().
 */

export function formatRfc3339(seconds: bigint): string {
  return isoSeconds(seconds) + 'Z';
}

export function formatRfc3339Micro(seconds: bigint, nanos: number): string {
  const micros = Math.floor(nanos / 1000);
  return `${isoSeconds(seconds)}.${String(micros).padStart(6, '0')}Z`;
}

function isoSeconds(seconds: bigint): string {
  // toISOString gives "YYYY-MM-DDTHH:MM:SS.mmmZ"; keep the part before the milliseconds.
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
}

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const S = 1000n * MS;

/** Go's time.Duration.String for a count of nanoseconds, e.g. `1h0m0s`, `1.5s`, `300ms`, `0s`. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const u = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (u < S) {
    if (u < US) return `${sign}${u}ns`;
    if (u < MS) return `${sign}${withFraction(u, US)}µs`;
    return `${sign}${withFraction(u, MS)}ms`;
  }
  const hours = u / (3600n * S);
  const minutes = (u / (60n * S)) % 60n;
  const secs = withFraction(u % (60n * S), S);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${secs}s`;
  if (minutes > 0n) return `${sign}${minutes}m${secs}s`;
  return `${sign}${secs}s`;
}

/** `value / unit` with the remainder as a decimal fraction, trailing zeros dropped. */
function withFraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
