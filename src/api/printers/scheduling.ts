/** PriorityClasses (scheduling.k8s.io) and RuntimeClasses (node.k8s.io). */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { num, str } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Value', 'integer', swaggerDoc.PriorityClass.value),
    column('Global-Default', 'boolean', swaggerDoc.PriorityClass.globalDefault),
    ageColumn,
    // NOTE: declared at priority 0 upstream although it is filled only for wide output.
    column('PreemptionPolicy', 'string', swaggerDoc.PriorityClass.preemptionPolicy),
  ],
  row(obj, now) {
    return [
      obj.metadata.name ?? '',
      num(obj.value),
      obj.globalDefault === true,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      str(obj.preemptionPolicy),
    ];
  },
};

export const runtimeClassPrinter: Printer = {
  // Upstream looks the description up in ObjectMeta's docs, where it does not exist.
  columns: [nameColumn, column('Handler', 'string', ''), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', str(obj.handler), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
