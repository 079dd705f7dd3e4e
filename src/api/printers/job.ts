/** Jobs: STATUS (from conditions), COMPLETIONS, DURATION; wide CONTAINERS IMAGES SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { humanDuration, parseTimestamp, translateTimestampSince } from './human-duration.js';
import { arr, num, rec, type JsonRecord } from './json-fields.js';
import { formatLabelSelector } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

/** Upstream reads only the first condition of a type. */
function hasCondition(conditions: JsonRecord[], type: string): boolean {
  const c = conditions.find((x) => x.type === type);
  return c !== undefined && c.status === 'True';
}

export function jobStatus(job: JsonRecord): string {
  const conditions = arr(rec(job.status).conditions);
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  const deletion = rec(job.metadata).deletionTimestamp;
  if (deletion !== undefined && deletion !== null) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function jobCompletions(spec: JsonRecord, status: JsonRecord): string {
  const succeeded = num(status.succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = num(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(status: JsonRecord, now: number): string {
  const start = parseTimestamp(status.startTime);
  if (start === undefined) return '';
  const completion = parseTimestamp(status.completionTime);
  return humanDuration((completion ?? now) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', swaggerDoc.JobStatus.succeeded),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...containerColumns(),
    column('Selector', 'string', swaggerDoc.JobSpec.selector, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const [names, images] = containerCells(rec(rec(spec.template).spec).containers);
    return [
      obj.metadata.name ?? '',
      jobStatus(obj as JsonRecord),
      jobCompletions(spec, status),
      jobDuration(status, now),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};
