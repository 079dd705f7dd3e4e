import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConfigMapKey, isDNS1123Label, isQualifiedName, isValidPortName, nameIsDNSSubdomain } from './names.js';
import { cronScheduleError } from './cron.js';

test('name formats', () => {
  assert.deepEqual(isDNS1123Label('ok-1'), []);
  assert.deepEqual(isDNS1123Label('a'.repeat(64))[0], 'must be no more than 63 characters');
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
  assert.deepEqual(isQualifiedName('example.com/app'), []);
  assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
  assert.equal(isQualifiedName('a/b/c').length, 1);
  assert.deepEqual(isConfigMapKey('..x').slice(-1), ["must not start with '..'"]);
  assert.deepEqual(isValidPortName('http--x'), ['must not contain consecutive hyphens']);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
});

test('cron schedules', () => {
  const cases: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['0 0 1 JAN,jul MON-FRI', undefined],
    ['0 12 ? * *', undefined],
    ['@daily', undefined],
    ['@every 1h30m', undefined],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
  ];
  for (const [schedule, want] of cases) assert.equal(cronScheduleError(schedule), want, schedule);
});
