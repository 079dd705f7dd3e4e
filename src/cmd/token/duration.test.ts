import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, shortHumanDuration } from './duration.js';

test('Go durations', () => {
  const cases: [string, number][] = [['24h', 86_400_000], ['1h30m', 5_400_000], ['90s', 90_000], ['0', 0], ['1.5h', 5_400_000], ['250ms', 250]];
  for (const [s, ms] of cases) assert.equal(parseDuration(s), ms, s);
  for (const bad of ['', '24', 'h', '1d', '1h x']) assert.throws(() => parseDuration(bad), /invalid duration/, bad);
});

test('short human durations', () => {
  const cases: [number, string][] = [[5_000, '5s'], [3_540_000, '59m'], [82_800_000, '23h'], [86_400_000 * 6, '6d'], [-5000, '<invalid>']];
  for (const [ms, s] of cases) assert.equal(shortHumanDuration(ms), s);
});
