import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoValue, goTypeName } from './go-format.js';

const cases: [unknown, string][] = [
  [{ name: 'c', image: 'img:2' }, 'map[image:img:2 name:c]'],
  [{ $patch: 'delete', name: 'x' }, 'map[$patch:delete name:x]'],
  [{ a: [1, 'b', null], m: {} }, 'map[a:[1 b <nil>] m:map[]]'],
  [80, '80'],
  [1.5, '1.5'],
  [1e21, '1e+21'],
  [true, 'true'],
];

for (const [value, want] of cases) {
  test(`formatGoValue(${JSON.stringify(value)})`, () => assert.equal(formatGoValue(value), want));
}

test('goTypeName names decoded JSON like reflect does', () => {
  assert.deepEqual(
    [{}, [], 'x', 1, 1.5, false, null].map(goTypeName),
    ['map[string]interface {}', '[]interface {}', 'string', 'int64', 'float64', 'bool', '%!s(<nil>)'],
  );
});
