import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrSet } from './cidr-set.js';

test('allocates distinct podCIDRs, skips occupied ones, and reports exhaustion', () => {
  const set = new CidrSet('10.42.0.0/22', 24);
  assert.ok(set.occupy('10.42.1.0/24'));
  const got = [set.allocateNext(), set.allocateNext(), set.allocateNext()];
  assert.deepEqual(got, ['10.42.0.0/24', '10.42.2.0/24', '10.42.3.0/24']);
  assert.equal(set.allocateNext(), undefined);
  set.release('10.42.2.0/24');
  assert.equal(set.allocateNext(), '10.42.2.0/24');
});
