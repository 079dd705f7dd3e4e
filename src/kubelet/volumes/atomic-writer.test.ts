import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayloadPath, writeAtomically, type Payload } from './atomic-writer.js';

const payload = (entries: [string, string, number?][]): Payload => new Map(entries.map(([p, d, m]) => [p, { data: Buffer.from(d), mode: m ?? 0o644 }]));

test('writes files behind ..data and swaps on change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-'));
  try {
    assert.equal(writeAtomically(dir, payload([['key', 'v1'], ['nested/a.txt', 'A', 0o400]])), true);
    assert.equal(readFileSync(join(dir, 'key'), 'utf8'), 'v1');
    assert.equal(readFileSync(join(dir, 'nested', 'a.txt'), 'utf8'), 'A');
    assert.equal(statSync(join(dir, 'nested', 'a.txt')).mode & 0o777, 0o400);
    assert.equal(readlinkSync(join(dir, 'key')), '..data/key');
    const first = readlinkSync(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.[0-9a-f]+$/);

    assert.equal(writeAtomically(dir, payload([['key', 'v1'], ['nested/a.txt', 'A', 0o400]])), false, 'same content: no new folder');
    assert.equal(readlinkSync(join(dir, '..data')), first);

    assert.equal(writeAtomically(dir, payload([['key', 'v2']])), true);
    assert.equal(readFileSync(join(dir, 'key'), 'utf8'), 'v2');
    assert.notEqual(readlinkSync(join(dir, '..data')), first);
    assert.throws(() => lstatSync(join(dir, 'nested')), /ENOENT/, 'stale link removed');
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('..2')).length, 1, 'old folder removed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a mode change alone is an update', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-'));
  try {
    writeAtomically(dir, payload([['k', 'x', 0o644]]));
    assert.equal(writeAtomically(dir, payload([['k', 'x', 0o400]])), true);
    assert.equal(statSync(join(dir, 'k')).mode & 0o777, 0o400);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('payload paths must stay inside the volume', () => {
  for (const [p, ok] of [
    ['a', true],
    ['a/b', true],
    ['/etc/passwd', false],
    ['../x', false],
    ['a/../../x', false],
    ['..hidden', false],
    ['', false],
  ] as [string, boolean][]) {
    assert.equal(validatePayloadPath(p) === undefined, ok, p);
  }
});
