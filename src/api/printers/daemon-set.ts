/** DaemonSets: scheduling counters and NODE SELECTOR; wide CONTAINERS IMAGES SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { translateTimestampSince } from './human-duration.js';
import { num, rec } from './json-fields.js';
import { formatLabelSelector, formatLabels } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', swaggerDoc.DaemonSetStatus.desiredNumberScheduled),
    column('Current', 'integer', swaggerDoc.DaemonSetStatus.currentNumberScheduled),
    column('Ready', 'integer', swaggerDoc.DaemonSetStatus.numberReady),
    column('Up-to-date', 'integer', swaggerDoc.DaemonSetStatus.updatedNumberScheduled),
    column('Available', 'integer', swaggerDoc.DaemonSetStatus.numberAvailable),
    column('Node Selector', 'string', swaggerDoc.PodSpec.nodeSelector),
    ageColumn,
    ...containerColumns(),
    column('Selector', 'string', swaggerDoc.DaemonSetSpec.selector, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const podSpec = rec(rec(spec.template).spec);
    const [names, images] = containerCells(podSpec.containers);
    return [
      obj.metadata.name ?? '',
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(podSpec.nodeSelector),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};
