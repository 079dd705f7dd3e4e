import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, formatRfc3339, formatRfc3339Micro } from './go-time.js';

test('metav1.Time prints RFC 3339 in UTC with whole seconds', () => {
  assert.equal(formatRfc3339(1767225600n), '2026-01-01T00:00:00Z');
  assert.equal(formatRfc3339(0n), '1970-01-01T00:00:00Z');
});

test('metav1.MicroTime prints exactly six fractional digits', () => {
  assert.equal(formatRfc3339Micro(1767225600n, 0), '2026-01-01T00:00:00.000000Z');
  assert.equal(formatRfc3339Micro(1767225600n, 123456789), '2026-01-01T00:00:00.123456Z');
});

test('metav1.Duration prints like Go time.Duration.String', () => {
  const s = 1_000_000_000n;
  const cases: Array<[bigint, string]> = [
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [300_000_000n, '300ms'],
    [s, '1s'],
    [1500n * 1_000_000n, '1.5s'],
    [90n * s, '1m30s'],
    [3600n * s, '1h0m0s'],
    [3600n * s + 5n, '1h0m0.000000005s'],
    [-90n * s, '-1m30s'],
    [100n * 3600n * s, '100h0m0s'],
  ];
  for (const [nanos, want] of cases) assert.equal(formatGoDuration(nanos), want);
});
