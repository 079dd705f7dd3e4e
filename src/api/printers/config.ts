/** ConfigMaps, Secrets and ServiceAccounts: counts of their entries. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, mapSize, str } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', swaggerDoc.ConfigMap.data), ageColumn],
  row(obj, now) {
    return [
      obj.metadata.name ?? '',
      mapSize(obj.data) + mapSize(obj.binaryData),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

export const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'string', swaggerDoc.Secret.type), column('Data', 'string', swaggerDoc.Secret.data), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', str(obj.type), mapSize(obj.data), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', swaggerDoc.ServiceAccount.secrets), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', arr(obj.secrets).length, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
