import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { ControllerExpectations } from './expectations.js';

test('expect holds creations and deletions at once', () => {
  const e = new ControllerExpectations(new FakeClock());
  e.expect('ns/a', 2, 1);
  e.creationObserved('ns/a');
  e.deletionObserved('ns/a');
  assert.equal(e.satisfied('ns/a'), false, 'one creation still awaited');
  e.creationObserved('ns/a');
  assert.equal(e.satisfied('ns/a'), true);
});

test('tracked deletions count each object once, and only awaited ones', () => {
  const e = new ControllerExpectations(new FakeClock());
  e.expectTracked('ns/a', 1, ['ns/p1', 'ns/p2']);
  const table: [string, boolean][] = [
    ['ns/p1', true],
    ['ns/p1', false], // graceful delete seen again as the final delete
    ['ns/other', false],
  ];
  for (const [pod, counted] of table) assert.equal(e.deletionObservedFor('ns/a', pod), counted, pod);
  e.creationObserved('ns/a');
  assert.equal(e.satisfied('ns/a'), false, 'p2 still awaited');
  assert.equal(e.deletionObservedFor('ns/a', 'ns/p2'), true);
  assert.equal(e.satisfied('ns/a'), true);
});

test('a new record replaces the old one; deletions of unknown owners are ignored', () => {
  const e = new ControllerExpectations(new FakeClock());
  e.expectTracked('ns/a', 0, ['ns/p1']);
  e.expectCreations('ns/a', 1);
  assert.equal(e.deletionObservedFor('ns/a', 'ns/p1'), false, 'the tracked set went with the old record');
  assert.equal(e.deletionObservedFor('ns/b', 'ns/p1'), false);
  assert.equal(e.satisfied('ns/a'), false);
});

test('expectations expire after five minutes', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  e.expectTracked('ns/a', 3, ['ns/p1']);
  assert.equal(e.satisfied('ns/a'), false);
  clock.advance(5 * 60_000 + 1);
  assert.equal(e.satisfied('ns/a'), true);
});
