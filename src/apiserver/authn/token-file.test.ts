import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTokenFile } from './token-file.js';

test('token file rows: token,user,uid[,"groups"]', () => {
  const tokens = parseTokenFile(['t1,alice,1001,"devs,ops"', '# comment', '', 't2,bob,1002', 't3, carol ,1003,solo', '"t,4",dave,1004,""'].join('\n'));
  assert.deepEqual(tokens.get('t1'), { name: 'alice', uid: '1001', groups: ['devs', 'ops'] });
  assert.deepEqual(tokens.get('t2'), { name: 'bob', uid: '1002', groups: [] });
  assert.deepEqual(tokens.get('t3'), { name: 'carol ', uid: '1003', groups: ['solo'] });
  assert.deepEqual(tokens.get('t,4'), { name: 'dave', uid: '1004', groups: [] });
  assert.equal(tokens.size, 4);
});

test('token file rows with fewer than 3 columns are an error', () => {
  assert.throws(() => parseTokenFile('t1,alice\n', 'tokens.csv'), /token file 'tokens.csv' must have at least 3 columns .* found 2 on line 1/);
});
