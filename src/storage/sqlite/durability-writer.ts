/**
 * Child process of durability.test.ts: writes to a sqlite store as fast as it can with
 * 16 concurrent writers and prints one line per acknowledged write: `<key> <revision>`.
 * The parent kills it with SIGKILL at an arbitrary moment.
 * NOTE: stdout to a pipe is synchronous on Linux, so a printed line means the ack was sent.
 */
import { openSqliteStorage } from './sqlite-storage.js';

const path = process.argv[2];
if (!path) throw new Error('usage: durability-writer <db path>');

const storage = await openSqliteStorage({ path });
process.stdout.write('ready\n');

async function writer(id: number): Promise<never> {
  for (let n = 0; ; n++) {
    const key = `/registry/durability/w${id}-${n}`;
    const kv = await storage.create(key, valueFor(key));
    process.stdout.write(`${key} ${kv.modRevision}\n`);
  }
}

function valueFor(key: string): string {
  return `{"key":"${key}","pad":"${'x'.repeat(200)}"}`;
}

await Promise.all(Array.from({ length: 16 }, (_, i) => writer(i)));
