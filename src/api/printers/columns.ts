/**
 * Column definitions shared by many printers, worded like upstream's
 * (pkg/printers/internalversion AddHandlers).
 */
import type { TableColumn } from '../resource-type.js';
import { swaggerDoc } from './swagger-doc.js';

export function column(
  name: string,
  type: TableColumn['type'],
  description: string,
  priority = 0,
  format?: string,
): TableColumn {
  return format === undefined ? { name, type, description, priority } : { name, type, format, description, priority };
}

export const nameColumn: TableColumn = column('Name', 'string', swaggerDoc.meta.name, 0, 'name');
export const ageColumn: TableColumn = column('Age', 'string', swaggerDoc.meta.creationTimestamp);

/** The wide CONTAINERS and IMAGES columns of workload controllers. */
export function containerColumns(priority = 1): TableColumn[] {
  return [
    column('Containers', 'string', 'Names of each container in the template.', priority),
    column('Images', 'string', 'Images referenced by each container in the template.', priority),
  ];
}
