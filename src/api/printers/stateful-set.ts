/** StatefulSets: READY as ready/desired; wide CONTAINERS IMAGES (no selector upstream). */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { translateTimestampSince } from './human-duration.js';
import { num, rec } from './json-fields.js';

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, ...containerColumns()],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const [names, images] = containerCells(rec(rec(spec.template).spec).containers);
    return [
      obj.metadata.name ?? '',
      `${num(status.readyReplicas)}/${num(spec.replicas)}`,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
    ];
  },
};
