/** FlowSchemas and PriorityLevelConfigurations (flowcontrol.apiserver.k8s.io). */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, num, rec, str } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn,
    column('PriorityLevel', 'string', swaggerDoc.PriorityLevelConfigurationReference.name),
    column('MatchingPrecedence', 'string', swaggerDoc.FlowSchemaSpec.matchingPrecedence),
    column('DistinguisherMethod', 'string', swaggerDoc.FlowSchemaSpec.distinguisherMethod),
    ageColumn,
    column('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const method = spec.distinguisherMethod === undefined || spec.distinguisherMethod === null ? '<none>' : str(rec(spec.distinguisherMethod).type);
    const dangling = arr(rec(obj.status).conditions).find((c) => c.type === 'Dangling');
    return [
      obj.metadata.name ?? '',
      str(rec(spec.priorityLevelConfiguration).name),
      num(spec.matchingPrecedence),
      method,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      dangling ? str(dangling.status) : '?',
    ];
  },
};

export const priorityLevelConfigurationPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', swaggerDoc.PriorityLevelConfigurationSpec.type),
    column('NominalConcurrencyShares', 'string', swaggerDoc.LimitedPriorityLevelConfiguration.nominalConcurrencyShares),
    column('Queues', 'string', swaggerDoc.QueuingConfiguration.queues),
    column('HandSize', 'string', swaggerDoc.QueuingConfiguration.handSize),
    column('QueueLengthLimit', 'string', swaggerDoc.QueuingConfiguration.queueLengthLimit),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    let cells: unknown[] = ['<none>', '<none>', '<none>', '<none>'];
    if (spec.limited !== undefined && spec.limited !== null) {
      const limited = rec(spec.limited);
      const queuing = rec(limited.limitResponse).queuing;
      cells = [num(limited.nominalConcurrencyShares), '<none>', '<none>', '<none>'];
      if (queuing !== undefined && queuing !== null) {
        const q = rec(queuing);
        cells = [num(limited.nominalConcurrencyShares), num(q.queues), num(q.handSize), num(q.queueLengthLimit)];
      }
    }
    return [obj.metadata.name ?? '', str(spec.type), ...cells, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
