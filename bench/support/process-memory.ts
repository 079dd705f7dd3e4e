/** Resident memory of another process, from /proc (Linux). */
import { readFile } from 'node:fs/promises';

/** VmRSS of `pid` in bytes. */
export async function processRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export const MiB = 1024 * 1024;
