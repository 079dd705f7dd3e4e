import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration, parseSchedule, ScheduleParseError } from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString());

test('next activation', () => {
  const cases: { spec: string; tz?: string; after: string; want: string[] }[] = [
    { spec: '*/1 * * * *', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z'] },
    { spec: '*/15 * * * *', after: '2026-01-01T00:07:30Z', want: ['2026-01-01T00:15:00.000Z', '2026-01-01T00:30:00.000Z'] },
    { spec: '5 4 * * sun', after: '2026-01-01T00:00:00Z', want: ['2026-01-04T04:05:00.000Z', '2026-01-11T04:05:00.000Z'] },
    { spec: '0 9-17/4 * * MON-FRI', after: '2026-01-02T12:00:00Z', want: ['2026-01-02T13:00:00.000Z', '2026-01-02T17:00:00.000Z', '2026-01-05T09:00:00.000Z'] },
    { spec: '0 0 1,15 * *', after: '2026-01-01T00:00:00Z', want: ['2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z'] },
    { spec: '0 0 29 feb *', after: '2026-01-01T00:00:00Z', want: ['2028-02-29T00:00:00.000Z'] },
    // Both day fields restricted: either may match (Jan 13 2026 is a Tuesday).
    { spec: '0 0 13 * 5', after: '2026-01-01T00:00:00Z', want: ['2026-01-02T00:00:00.000Z', '2026-01-09T00:00:00.000Z', '2026-01-13T00:00:00.000Z'] },
    { spec: '30 10/5 * * *', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T10:30:00.000Z', '2026-01-01T15:30:00.000Z', '2026-01-01T20:30:00.000Z', '2026-01-02T10:30:00.000Z'] },
    { spec: '@hourly', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T01:00:00.000Z'] },
    { spec: '@daily', after: '2026-01-01T00:00:00Z', want: ['2026-01-02T00:00:00.000Z'] },
    { spec: '@weekly', after: '2026-01-01T00:00:00Z', want: ['2026-01-04T00:00:00.000Z'] },
    { spec: '@monthly', after: '2026-01-01T00:00:00Z', want: ['2026-02-01T00:00:00.000Z'] },
    { spec: '@yearly', after: '2026-01-01T00:00:00Z', want: ['2027-01-01T00:00:00.000Z'] },
    { spec: '@annually', after: '2026-06-01T00:00:00Z', want: ['2027-01-01T00:00:00.000Z'] },
    { spec: '@every 1h30m', after: '2026-01-01T00:00:00.500Z', want: ['2026-01-01T01:30:00.000Z', '2026-01-01T03:00:00.000Z'] },
    // Time zones.
    { spec: '0 9 * * *', tz: 'Europe/Berlin', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T08:00:00.000Z'] },
    { spec: '0 9 * * *', tz: 'Europe/Berlin', after: '2026-07-01T00:00:00Z', want: ['2026-07-01T07:00:00.000Z'] },
    { spec: 'CRON_TZ=Asia/Tokyo 0 0 * * *', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T15:00:00.000Z'] },
    // DST in New York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
    // A time inside the spring-forward gap is skipped that day.
    { spec: '30 2 * * *', tz: 'America/New_York', after: '2026-03-07T12:00:00Z', want: ['2026-03-09T06:30:00.000Z'] },
    // A time inside the fall-back overlap fires in both the EDT and the EST hour.
    { spec: '30 1 * * *', tz: 'America/New_York', after: '2026-10-31T12:00:00Z', want: ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z', '2026-11-02T06:30:00.000Z'] },
    // Daily midnight across both transitions stays at local midnight.
    { spec: '0 0 * * *', tz: 'America/New_York', after: '2026-03-07T12:00:00Z', want: ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'] },
    { spec: '0 3 * * *', tz: 'America/New_York', after: '2026-03-07T12:00:00Z', want: ['2026-03-08T07:00:00.000Z', '2026-03-09T07:00:00.000Z'] },
  ];
  for (const c of cases) {
    const s = parseSchedule(c.spec, c.tz);
    let t = at(c.after);
    const got: string[] = [];
    for (let i = 0; i < c.want.length; i++) {
      const n = s.next(t);
      got.push(iso(n));
      if (n === undefined) break;
      t = n;
    }
    assert.deepEqual(got, c.want, `${c.spec} ${c.tz ?? ''}`);
  }
});

test('invalid schedules are rejected', () => {
  for (const spec of ['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', '5-1 * * * *', '*/0 * * * *', '@reboot', 'x * * * *', '@every 5x']) {
    assert.throws(() => parseSchedule(spec), ScheduleParseError, spec);
  }
  assert.throws(() => parseSchedule('* * * * *', 'Mars/Olympus'), ScheduleParseError);
});

test('go durations', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('250ms'), 250);
});
