/** ComponentStatuses: STATUS, MESSAGE and ERROR of the Healthy condition. */
import type { Printer } from '../resource-type.js';
import { column, nameColumn } from './columns.js';
import { arr, str } from './json-fields.js';

export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  row(obj) {
    const healthy = arr(obj.conditions).find((c) => c.type === 'Healthy');
    if (!healthy) return [obj.metadata.name ?? '', 'Unknown', '', ''];
    return [obj.metadata.name ?? '', healthy.status === 'True' ? 'Healthy' : 'Unhealthy', str(healthy.message), str(healthy.error)];
  },
};
