/** ReplicationControllers: DESIRED / CURRENT / READY, wide CONTAINERS IMAGES SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { translateTimestampSince } from './human-duration.js';
import { num, rec } from './json-fields.js';
import { formatLabels } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', swaggerDoc.ReplicationControllerSpec.replicas),
    column('Current', 'integer', swaggerDoc.ReplicationControllerStatus.replicas),
    column('Ready', 'integer', swaggerDoc.ReplicationControllerStatus.readyReplicas),
    ageColumn,
    ...containerColumns(),
    column('Selector', 'string', swaggerDoc.ReplicationControllerSpec.selector, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const [names, images] = containerCells(rec(rec(spec.template).spec).containers);
    return [
      obj.metadata.name ?? '',
      num(spec.replicas),
      num(status.replicas),
      num(status.readyReplicas),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabels(spec.selector),
    ];
  },
};
