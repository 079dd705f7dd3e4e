/**
 * ReplicaSets and ReplicationControllers share one table: DESIRED / CURRENT / READY, wide
 * CONTAINERS IMAGES SELECTOR. They differ in their selector (LabelSelector vs label map) and
 * in the descriptions of their fields.
 */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { translateTimestampSince } from './human-duration.js';
import { num, rec } from './json-fields.js';
import { formatLabels, formatLabelSelector } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

type Docs = { replicas: string; selector: string };

function replicaPrinter(spec: Docs, status: { replicas: string; readyReplicas: string }, selector: (sel: unknown) => string): Printer {
  return {
    columns: [
      nameColumn,
      column('Desired', 'integer', spec.replicas),
      column('Current', 'integer', status.replicas),
      column('Ready', 'integer', status.readyReplicas),
      ageColumn,
      ...containerColumns(),
      column('Selector', 'string', spec.selector, 1),
    ],
    row(obj, now) {
      const s = rec(obj.spec);
      const st = rec(obj.status);
      const [names, images] = containerCells(rec(rec(s.template).spec).containers);
      return [
        obj.metadata.name ?? '',
        num(s.replicas),
        num(st.replicas),
        num(st.readyReplicas),
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        selector(s.selector),
      ];
    },
  };
}

export const replicaSetPrinter = replicaPrinter(swaggerDoc.ReplicaSetSpec, swaggerDoc.ReplicaSetStatus, (sel) =>
  formatLabelSelector(sel as Parameters<typeof formatLabelSelector>[0]),
);

export const replicationControllerPrinter = replicaPrinter(
  swaggerDoc.ReplicationControllerSpec,
  swaggerDoc.ReplicationControllerStatus,
  (sel) => formatLabels(sel as Parameters<typeof formatLabels>[0]),
);
