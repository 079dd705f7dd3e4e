import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledValue } from './disruption-controller.js';

test('scaledValue: ints and percents rounded up', () => {
  assert.equal(scaledValue(2, 10, true), 2);
  assert.equal(scaledValue('50%', 5, true), 3);
  assert.equal(scaledValue('50%', 5, false), 2);
});
