/**
 * Whole-node usage from procfs: CPU time the machine spent busy (everything but idle and
 * iowait) and memory in use. The node may itself be a container, in which case these are the
 * host's figures, as upstream's kubelet reports the root cgroup.
 */
import { readFile } from 'node:fs/promises';

export interface NodeSample {
  /** Busy CPU time over all cores since boot, in nanoseconds. */
  usageCoreNanoSeconds: number;
  workingSetBytes: number;
  usageBytes: number;
  availableBytes: number;
}

/** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every supported architecture. */
const NANOS_PER_TICK = 1e7;

/** Busy CPU nanoseconds from the aggregate `cpu` line of /proc/stat. */
export function parseProcStat(text: string): number {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + (steal || 0);
  return busy * NANOS_PER_TICK;
}

/** Memory figures (bytes) from /proc/meminfo: working set is what the kernel cannot reclaim. */
export function parseMeminfo(text: string): Pick<NodeSample, 'workingSetBytes' | 'usageBytes' | 'availableBytes'> {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1], Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal') ?? 0;
  const free = kb.get('MemFree') ?? 0;
  const available = kb.get('MemAvailable') ?? free + (kb.get('Cached') ?? 0);
  return { workingSetBytes: Math.max(0, total - available), usageBytes: Math.max(0, total - free), availableBytes: available };
}

export async function readNodeSample(procRoot = '/proc'): Promise<NodeSample> {
  const [stat, meminfo] = await Promise.all([readFile(`${procRoot}/stat`, 'utf8'), readFile(`${procRoot}/meminfo`, 'utf8')]);
  return { usageCoreNanoSeconds: parseProcStat(stat), ...parseMeminfo(meminfo) };
}
