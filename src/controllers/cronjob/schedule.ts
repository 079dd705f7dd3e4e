/**
 * Cron schedules as the CronJob controller reads them: the standard 5-field syntax of
 * robfig/cron v3's ParseStandard (ranges, steps, lists, month and weekday names, `?`), the
 * descriptors `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight` `@hourly`, and
 * `@every <duration>`. An optional `TZ=` / `CRON_TZ=` prefix names the zone.
 *
 * `next` follows robfig's search over wall-clock fields in the zone, including its DST traps:
 * a time inside a spring-forward gap is skipped that day, and a time inside a fall-back
 * overlap fires twice. Upstream CronJobs behave so; users' expectations were set by them.
 */
import { SkiffError } from '../../base/errors.js';

export class ScheduleParseError extends SkiffError {
  constructor(message: string) {
    super('ScheduleParseError', message);
  }
}

export interface Schedule {
  /** The first activation strictly after `after` (ms since epoch), or undefined if none within 5 years. */
  next(after: number): number | undefined;
}

interface FieldBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const MINUTE: FieldBounds = { min: 0, max: 59 };
const HOUR: FieldBounds = { min: 0, max: 23 };
const DOM: FieldBounds = { min: 1, max: 31 };
const MONTH: FieldBounds = { min: 1, max: 12, names: MONTHS };
const DOW: FieldBounds = { min: 0, max: 6, names: DAYS };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A set of allowed values; `star` records a field written as `*` or `?` (it changes day matching). */
interface Field {
  values: Set<number>;
  star: boolean;
}

function parseValue(s: string, b: FieldBounds): number {
  const named = b.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(s)) throw new ScheduleParseError(`failed to parse int from ${s}`);
  return Number(s);
}

function parseRange(expr: string, b: FieldBounds): { values: number[]; star: boolean } {
  const [rangePart, stepPart, extra] = expr.split('/');
  if (extra !== undefined) throw new ScheduleParseError(`too many slashes: ${expr}`);
  let start: number;
  let end: number;
  let star = false;
  if (rangePart === '*' || rangePart === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    const bounds = rangePart!.split('-');
    if (bounds.length > 2) throw new ScheduleParseError(`too many hyphens: ${expr}`);
    start = parseValue(bounds[0]!, b);
    end = bounds.length === 2 ? parseValue(bounds[1]!, b) : start;
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = parseValue(stepPart, { min: 0, max: 0 });
    // "N/step" means from N to the end of the field's range.
    if (!star && !rangePart!.includes('-')) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new ScheduleParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new ScheduleParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new ScheduleParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleParseError(`step of range should be a positive number: ${expr}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

function parseField(text: string, b: FieldBounds): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const r = parseRange(part, b);
    for (const v of r.values) values.add(v);
    star ||= r.star;
  }
  return { values, star };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration string (`1h30m`, `90s`, `1.5h`) in milliseconds. */
export function parseGoDuration(s: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== s.length) throw new ScheduleParseError(`failed to parse duration ${s}`);
  return total;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parses `spec` for the zone `timeZone` (UTC when absent, as the controller manager runs in UTC). */
export function parseSchedule(spec: string, timeZone = 'UTC'): Schedule {
  let text = spec.trim();
  if (!text) throw new ScheduleParseError('empty spec string');
  const tzMatch = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tzMatch) {
    timeZone = tzMatch[1]!;
    text = text.slice(tzMatch[0].length).trim();
  }
  if (!isValidTimeZone(timeZone)) throw new ScheduleParseError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
  const zone = new Zone(timeZone);
  if (text.startsWith('@every ')) {
    const ms = parseGoDuration(text.slice('@every '.length).trim());
    // robfig rounds the delay to whole seconds, at least one.
    const delay = Math.max(1000, Math.floor(ms / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + delay };
  }
  if (text.startsWith('@')) {
    const expanded = DESCRIPTORS[text.toLowerCase()];
    if (!expanded) throw new ScheduleParseError(`unrecognized descriptor: ${text}`);
    text = expanded;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new ScheduleParseError(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  const spec5 = new FieldSchedule(
    zone,
    parseField(fields[0]!, MINUTE),
    parseField(fields[1]!, HOUR),
    parseField(fields[2]!, DOM),
    parseField(fields[3]!, MONTH),
    parseField(fields[4]!, DOW),
  );
  return spec5;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Wall-clock arithmetic in one IANA zone, mirroring Go's time.Date normalisation. */
class Zone {
  private readonly fmt: Intl.DateTimeFormat;
  constructor(readonly name: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
  }

  wall(t: number): Wall {
    const w: Record<string, string> = {};
    for (const p of this.fmt.formatToParts(new Date(t))) w[p.type] = p.value;
    return {
      year: Number(w.year),
      month: Number(w.month),
      day: Number(w.day),
      hour: Number(w.hour),
      minute: Number(w.minute),
      second: Number(w.second),
      weekday: WEEKDAYS[w.weekday!]!,
    };
  }

  /** UTC offset in ms at instant t. */
  offset(t: number): number {
    const w = this.wall(t);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return asUtc - Math.floor(t / 1000) * 1000;
  }

  /** The instant of a wall time (fields may overflow, as in Go's time.Date). */
  date(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const unix = Date.UTC(year, month - 1, day, hour, minute, second);
    let off = this.offset(unix);
    const utc = unix - off;
    const actual = this.offset(utc);
    if (actual !== off) off = actual;
    return unix - off;
  }
}

class FieldSchedule implements Schedule {
  constructor(
    private readonly zone: Zone,
    private readonly minute: Field,
    private readonly hour: Field,
    private readonly dom: Field,
    private readonly month: Field,
    private readonly dow: Field,
  ) {}

  private dayMatches(w: Wall): boolean {
    const domMatch = this.dom.values.has(w.day);
    const dowMatch = this.dow.values.has(w.weekday);
    // Standard cron: when either day field is restricted-by-star, both must match; otherwise either.
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  next(after: number): number | undefined {
    const z = this.zone;
    // Round up to the next whole second, then search field by field from the largest unit.
    let t = Math.floor(after / 1000) * 1000 + 1000;
    let added = false;
    const yearLimit = z.wall(t).year + 5;
    wrap: for (;;) {
      let w = z.wall(t);
      if (w.year > yearLimit) return undefined;
      while (!this.month.values.has(w.month)) {
        if (!added) {
          added = true;
          t = z.date(w.year, w.month, 1);
          w = z.wall(t);
        }
        t = z.date(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
        w = z.wall(t);
        if (w.month === 1) continue wrap;
      }
      while (!this.dayMatches(w)) {
        if (!added) {
          added = true;
          t = z.date(w.year, w.month, w.day);
          w = z.wall(t);
        }
        t = z.date(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
        w = z.wall(t);
        // A DST shift may leave the day starting at 23:00 or 01:00; pull it back to midnight.
        if (w.hour !== 0) {
          t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3_600_000;
          w = z.wall(t);
        }
        if (w.day === 1) continue wrap;
      }
      while (!this.hour.values.has(w.hour)) {
        if (!added) {
          added = true;
          t = z.date(w.year, w.month, w.day, w.hour);
        }
        t += 3_600_000;
        w = z.wall(t);
        if (w.hour === 0) continue wrap;
      }
      while (!this.minute.values.has(w.minute)) {
        if (!added) {
          added = true;
          t = Math.floor(t / 60_000) * 60_000;
        }
        t += 60_000;
        w = z.wall(t);
        if (w.minute === 0) continue wrap;
      }
      while (w.second !== 0) {
        if (!added) {
          added = true;
          t = Math.floor(t / 1000) * 1000;
        }
        t += 1000;
        w = z.wall(t);
        if (w.second === 0) continue wrap;
      }
      return t;
    }
  }
}
