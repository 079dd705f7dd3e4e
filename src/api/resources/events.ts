/**
 * events.k8s.io/v1. Upstream stores these in the same place as core/v1 Events; the short
 * name `ev` is deliberately shared with core/v1 events (kubectl prefers the core group).
 */
import type { ResourceType } from '../resource-type.js';
import type { KubeObject } from '../object.js';
import { row } from './row.js';
import { stringField } from './field-value.js';
import { validateEventsV1Event } from '../validation/core.js';

/** Upstream's selectable Event fields, read from the events.k8s.io/v1 shape. */
function eventSelectors(): Record<string, (obj: KubeObject) => string> {
  return {
    'involvedObject.kind': stringField('regarding.kind'),
    'involvedObject.namespace': stringField('regarding.namespace'),
    'involvedObject.name': stringField('regarding.name'),
    'involvedObject.uid': stringField('regarding.uid'),
    'involvedObject.apiVersion': stringField('regarding.apiVersion'),
    'involvedObject.resourceVersion': stringField('regarding.resourceVersion'),
    'involvedObject.fieldPath': stringField('regarding.fieldPath'),
    reason: stringField('reason'),
    reportingComponent: stringField('reportingController'),
    source: stringField('deprecatedSource.component'),
    type: stringField('type'),
  };
}

export function eventsResources(): ResourceType[] {
  return [
    row({
      group: 'events.k8s.io', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', namespaced: true,
      shortNames: ['ev'], fieldSelectors: eventSelectors(), generation: false, validate: validateEventsV1Event,
    }),
  ];
}
