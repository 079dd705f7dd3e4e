/**
 * Cron schedules as CronJobs accept them (robfig/cron's standard parser: five fields, names for
 * months and weekdays, `?`, ranges, steps, lists, and @-descriptors). Returns the parser's
 * complaint, or undefined when the schedule is valid.
 */
interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function parseValue(text: string, b: Bounds): number | string {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-9]+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  return Number(text);
}

function checkRange(expr: string, b: Bounds): string | undefined {
  const [rangePart, stepPart, ...extraSlash] = expr.split('/');
  if (extraSlash.length > 0) return `too many slashes: ${expr}`;
  const lowHigh = rangePart!.split('-');
  if (lowHigh.length > 2) return `too many hyphens: ${expr}`;
  let start: number;
  let end: number;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = b.min;
    end = b.max;
  } else {
    const s = parseValue(lowHigh[0]!, b);
    if (typeof s === 'string') return s;
    start = s;
    if (lowHigh.length === 2) {
      const e = parseValue(lowHigh[1]!, b);
      if (typeof e === 'string') return e;
      end = e;
    } else end = start;
  }
  if (stepPart !== undefined) {
    const step = parseValue(stepPart, { min: 0, max: 0 });
    if (typeof step === 'string') return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

export function cronScheduleError(schedule: string): string | undefined {
  const spec = schedule.trim();
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      return /^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(spec) ? undefined : `failed to parse duration ${spec}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const expr of fields[i]!.split(',')) {
      const err = checkRange(expr, FIELDS[i]!);
      if (err) return err;
    }
  }
  return undefined;
}
