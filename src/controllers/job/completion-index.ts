/**
 * Indexed Jobs: a pod's completion index lives in the `batch.kubernetes.io/job-completion-index`
 * annotation (and label); status.completedIndexes lists succeeded indexes as ordered
 * intervals, e.g. "0-2,5".
 */
import type { KubeObject } from '../../api/object.js';

export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** The pod's index, or -1 when missing or malformed. */
export function completionIndexOf(pod: KubeObject): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  return Number(v);
}

/** Indexes below `completions` listed by an interval string; malformed parts are ignored. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  if (!s) return out;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    for (let i = first; i <= last && i < completions; i++) out.add(i);
  }
  return out;
}

export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The lowest `count` indexes that neither succeeded nor have an active pod. */
export function firstPendingIndexes(count: number, completions: number, succeeded: Set<number>, active: Set<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !active.has(i)) out.push(i);
  return out;
}
