import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, QUANTITY_FORMAT_ERROR, QUANTITY_NUMERIC_ERROR, QUANTITY_SUFFIX_ERROR } from './quantity.js';

test('canonical forms', () => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['100m', '100m'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1k', '1k'],
    ['1Ki', '1Ki'],
    ['1024', '1024'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['128Mi', '128Mi'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['1E-3', '1e-3'],
    ['0.1m', '100u'],
    ['0.0000000001', '1n'],
    ['-2', '-2'],
    ['+2', '2'],
    ['.5', '500m'],
    ['5.', '5'],
    ['2000m', '2'],
    ['1G', '1G'],
    ['100Ei', '100Ei'],
    ['1536Ki', '1536Ki'],
  ];
  for (const [input, want] of cases) {
    const parsed = parseQuantity(input);
    assert.ok(parsed.ok, input);
    assert.equal(parsed.quantity.toString(), want, input);
  }
});

test('malformed and oversized quantities are refused', () => {
  const cases: [string, string][] = [
    ['', QUANTITY_FORMAT_ERROR],
    ['abc', QUANTITY_FORMAT_ERROR],
    ['1.2.3', QUANTITY_FORMAT_ERROR],
    ['.', QUANTITY_FORMAT_ERROR],
    ['1K', QUANTITY_SUFFIX_ERROR],
    ['1iK', QUANTITY_SUFFIX_ERROR],
    ['1Kib', QUANTITY_FORMAT_ERROR],
    ['1 Gi', QUANTITY_FORMAT_ERROR],
    ['1e999999999999', QUANTITY_NUMERIC_ERROR],
    ['99999999999999999999999999999999999', QUANTITY_NUMERIC_ERROR],
    ['1e40', QUANTITY_NUMERIC_ERROR],
  ];
  for (const [input, want] of cases) {
    const parsed = parseQuantity(input);
    assert.equal(parsed.ok, false, input);
    if (!parsed.ok) assert.equal(parsed.error, want, input);
  }
});

test('comparisons and unit values', () => {
  const q = (s: string) => {
    const p = parseQuantity(s);
    assert.ok(p.ok);
    return p.quantity;
  };
  assert.equal(q('1').cmp(q('1000m')), 0);
  assert.equal(q('1Gi').cmp(q('1G')), 1);
  assert.equal(q('250m').milliValue(), 250);
  assert.equal(q('1.5').value(), 2);
  assert.equal(q('1Ki').value(), 1024);
});
