import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedNanoTimestamp, parseCriLogLine, renderRecord, selectRecords, splitRecords, ByteBudget } from './cri-log.js';

const file = Buffer.from(
  [
    '2026-01-02T03:04:05.1Z stdout F one',
    '2026-01-02T03:04:06.123456789Z stderr F two',
    '2026-01-02T03:04:07Z stdout P thr',
    '2026-01-02T03:04:07.5Z stdout F ee',
    'garbage',
    '2026-01-02T03:04:08Z stdout F',
    '2026-01-02T03:04:09Z stdout F unfinished',
  ].join('\n'),
);

test('splitRecords keeps an unfinished last line and drops malformed ones', () => {
  const { records, rest } = splitRecords(file);
  assert.deepEqual(records.map((r) => r.content.toString()), ['one', 'two', 'thr', 'ee', '']);
  assert.equal(rest.toString(), '2026-01-02T03:04:09Z stdout F unfinished');
  assert.equal(records[1].stream, 'stderr');
  assert.equal(records[2].partial, true);
});

test('render joins partial records and prefixes fixed-width timestamps', () => {
  const { records } = splitRecords(file);
  assert.equal(Buffer.concat(records.map((r) => renderRecord(r, false))).toString(), 'one\ntwo\nthree\n\n');
  assert.equal(renderRecord(records[0], true).toString(), '2026-01-02T03:04:05.100000000Z one\n');
});

test('fixedNanoTimestamp pads the fraction to nine digits', () => {
  for (const [input, want] of [
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000000000Z'],
    ['2026-01-02T03:04:05.123456789+02:00', '2026-01-02T03:04:05.123456789+02:00'],
    ['2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.500000000Z'],
  ]) assert.equal(fixedNanoTimestamp(input), want);
});

test('selectRecords applies since and tail', () => {
  const { records } = splitRecords(file);
  const cases: [Parameters<typeof selectRecords>[1], string[]][] = [
    [{ timestamps: false }, ['one', 'two', 'thr', 'ee', '']],
    [{ timestamps: false, tailLines: 2 }, ['ee', '']],
    [{ timestamps: false, tailLines: 0 }, []],
    [{ timestamps: false, sinceMs: Date.parse('2026-01-02T03:04:07Z') }, ['thr', 'ee', '']],
  ];
  for (const [f, want] of cases) assert.deepEqual(selectRecords(records, f).map((r) => r.content.toString()), want);
});

test('ByteBudget trims at limitBytes', () => {
  const b = new ByteBudget(5);
  assert.equal(b.take(Buffer.from('abc')).toString(), 'abc');
  assert.equal(b.take(Buffer.from('defg')).toString(), 'de');
  assert.equal(b.exhausted, true);
  assert.equal(parseCriLogLine(Buffer.from('x y z')), undefined);
});
