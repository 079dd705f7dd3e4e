import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateFields } from './duplicate-fields.js';

test('finds duplicate keys with their paths, ignoring strings that look like JSON', () => {
  const cases: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"metadata":{"name":"x","name":"y"}}', ['metadata.name']],
    ['{"a":{"b":1},"c":[{"d":1,"d":2},{"d":3}]}', ['c[0].d']],
    ['{"s":"{\\"a\\":1,\\"a\\":2}","a":1,"a":2}', ['a']],
    ['{"k\\u0041":1,"kA":2}', ['kA']],
    ['[{"x":1},{"x":1}]', []],
  ];
  for (const [text, want] of cases) assert.deepEqual(findDuplicateFields(text), want, text);
});
