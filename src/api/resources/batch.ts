/** batch/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import { intField, selectors } from './field-value.js';
import * as d from '../defaults/batch.js';
import * as v from '../validation/batch.js';

const batch = { group: 'batch', version: 'v1' } as const;

export function batchResources(): ResourceType[] {
  return [
    row({
      ...batch, plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', namespaced: true, shortNames: ['cj'],
      categories: ['all'], subresources: [statusSubresource('CronJob')],
      generation: true, defaults: d.defaultCronJob, validate: v.validateCronJob,
    }),
    row({
      ...batch, plural: 'jobs', singular: 'job', kind: 'Job', namespaced: true, categories: ['all'],
      subresources: [statusSubresource('Job')],
      fieldSelectors: selectors({ 'status.successful': intField }),
      generation: true, defaults: d.defaultJob, validate: v.validateJob,
    }),
  ];
}
