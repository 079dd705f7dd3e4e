import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabelSelector, formatLabels, labelSelectorString } from './label-selector.js';

test('formatLabels sorts keys and prints <none> when empty', () => {
  assert.equal(formatLabels({ tier: 'web', app: 'x' }), 'app=x,tier=web');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
});

test('formatLabelSelector prints requirements sorted by key', () => {
  const cases: [unknown, string][] = [
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'x' } }, 'app=x'],
    [
      {
        matchLabels: { app: 'x' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'zz', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'app=x,env notin (prod),!legacy,tier in (a,b),zz',
    ],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, '<error>'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, '<error>'],
  ];
  for (const [selector, want] of cases) assert.equal(formatLabelSelector(selector), want);
});

test('labelSelectorString is empty for nil and undefined for invalid selectors', () => {
  assert.equal(labelSelectorString(undefined), '');
  assert.equal(labelSelectorString({ matchLabels: { a: 'b' } }), 'a=b');
  assert.equal(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), undefined);
});
