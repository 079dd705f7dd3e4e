import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostPath } from './host-path.js';

test('hostPath type checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-'));
  try {
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'f'), '');
    const cases: [string, string, RegExp | undefined][] = [
      ['missing', '', undefined],
      ['d', 'Directory', undefined],
      ['f', 'Directory', /hostPath type check failed: .*\/f is not a directory/],
      ['missing', 'Directory', /is not a directory/],
      ['f', 'File', undefined],
      ['d', 'File', /is not a file/],
      ['d', 'FileOrCreate', /is not a file/],
      ['f', 'DirectoryOrCreate', /is not a directory/],
      ['f', 'Socket', /is not a socket file/],
      ['f', 'CharDevice', /is not a character device/],
      ['f', 'BlockDevice', /is not a block device/],
    ];
    for (const [name, type, err] of cases) {
      const run = () => checkHostPath(join(dir, name), type);
      if (err) assert.throws(run, err, `${name} ${type}`);
      else assert.doesNotThrow(run, `${name} ${type}`);
    }
    assert.doesNotThrow(() => checkHostPath('/dev/null', 'CharDevice'));
    checkHostPath(join(dir, 'new', 'deep'), 'DirectoryOrCreate');
    assert.ok(statSync(join(dir, 'new', 'deep')).isDirectory());
    checkHostPath(join(dir, 'newfile'), 'FileOrCreate');
    assert.ok(statSync(join(dir, 'newfile')).isFile());
    assert.throws(() => checkHostPath(join(dir, 'nodir', 'file'), 'FileOrCreate'), /ENOENT/);
    assert.equal(existsSync(join(dir, 'nodir')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
