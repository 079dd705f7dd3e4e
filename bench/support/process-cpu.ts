/** CPU time of another process, from /proc (Linux). */
import { readFile } from 'node:fs/promises';

/** utime + stime of `pid` in seconds. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // NOTE: USER_HZ, 100 on every mainstream Linux build; /proc reports in these ticks.
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
