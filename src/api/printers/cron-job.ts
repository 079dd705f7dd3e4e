/** CronJobs: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE; wide CONTAINERS IMAGES SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, rec, str } from './json-fields.js';
import { formatLabelSelector } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

/** NOTE: the SUSPEND column is declared boolean, yet upstream fills it with a string. */
function printBoolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', swaggerDoc.CronJobSpec.schedule),
    column('Timezone', 'string', swaggerDoc.CronJobSpec.timeZone),
    column('Suspend', 'boolean', swaggerDoc.CronJobSpec.suspend),
    column('Active', 'integer', swaggerDoc.CronJobStatus.active),
    column('Last Schedule', 'string', swaggerDoc.CronJobStatus.lastScheduleTime),
    ageColumn,
    ...containerColumns(),
    column('Selector', 'string', swaggerDoc.JobSpec.selector, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const jobSpec = rec(rec(spec.jobTemplate).spec);
    const [names, images] = containerCells(rec(rec(jobSpec.template).spec).containers);
    const last = status.lastScheduleTime;
    return [
      obj.metadata.name ?? '',
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      printBoolPtr(spec.suspend),
      arr(status.active).length,
      last === undefined || last === null ? '<none>' : translateTimestampSince(last, now),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};
