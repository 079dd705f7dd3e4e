/**
 * Events (core/v1 and events.k8s.io/v1 share upstream's printer): LAST SEEN, TYPE, REASON,
 * OBJECT, MESSAGE; wide SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME.
 */
import type { Printer } from '../resource-type.js';
import { column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { num, rec, str, type JsonRecord } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

/** The fields the printer reads, named as in core/v1. */
interface EventView {
  involvedObject: JsonRecord;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series?: JsonRecord;
  source: JsonRecord;
  reportingController: string;
  reportingInstance: string;
  type: string;
  reason: string;
  message: string;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** Maps an events.k8s.io/v1 object onto the core/v1 field names (upstream's conversion). */
export function eventView(obj: JsonRecord): EventView {
  const newApi = typeof obj.apiVersion === 'string' ? obj.apiVersion.startsWith('events.k8s.io/') : 'regarding' in obj;
  const series = obj.series === undefined || obj.series === null ? undefined : rec(obj.series);
  if (newApi) {
    return {
      involvedObject: rec(obj.regarding),
      firstTimestamp: obj.deprecatedFirstTimestamp,
      lastTimestamp: obj.deprecatedLastTimestamp,
      eventTime: obj.eventTime,
      count: num(obj.deprecatedCount),
      series,
      source: rec(obj.deprecatedSource),
      reportingController: str(obj.reportingController),
      reportingInstance: str(obj.reportingInstance),
      type: str(obj.type),
      reason: str(obj.reason),
      message: str(obj.note),
    };
  }
  return {
    involvedObject: rec(obj.involvedObject),
    firstTimestamp: obj.firstTimestamp,
    lastTimestamp: obj.lastTimestamp,
    eventTime: obj.eventTime,
    count: num(obj.count),
    series,
    source: rec(obj.source),
    reportingController: str(obj.reportingComponent),
    reportingInstance: str(obj.reportingInstance),
    type: str(obj.type),
    reason: str(obj.reason),
    message: str(obj.message),
  };
}

/** `component, host`, falling back to the reporting controller and instance. */
function formatSource(e: EventView): string {
  const component = str(e.source.component) || e.reportingController;
  const instance = str(e.source.host) || e.reportingInstance;
  return instance === '' ? component : `${component}, ${instance}`;
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', swaggerDoc.Event.lastTimestamp),
    column('Type', 'string', swaggerDoc.Event.type),
    column('Reason', 'string', swaggerDoc.Event.reason),
    column('Object', 'string', swaggerDoc.Event.involvedObject),
    column('Subobject', 'string', swaggerDoc.ObjectReference.fieldPath, 1),
    column('Source', 'string', swaggerDoc.Event.source, 1),
    column('Message', 'string', swaggerDoc.Event.message),
    column('First Seen', 'string', swaggerDoc.Event.firstTimestamp, 1),
    column('Count', 'string', swaggerDoc.Event.count, 1),
    { ...nameColumn, priority: 1 },
  ],
  row(obj, now) {
    const e = eventView(obj as JsonRecord);
    const firstSeen = isSet(e.firstTimestamp)
      ? translateTimestampSince(e.firstTimestamp, now)
      : translateTimestampSince(e.eventTime, now);
    let lastSeen = isSet(e.lastTimestamp) ? translateTimestampSince(e.lastTimestamp, now) : firstSeen;
    let count = e.count;
    if (e.series) {
      lastSeen = translateTimestampSince(e.series.lastObservedTime, now);
      count = num(e.series.count);
    } else if (count === 0) {
      // Singleton events of the new API carry no count.
      count = 1;
    }
    const kind = str(e.involvedObject.kind).toLowerCase();
    const name = str(e.involvedObject.name);
    return [
      lastSeen,
      e.type,
      e.reason,
      name === '' ? kind : `${kind}/${name}`,
      str(e.involvedObject.fieldPath),
      formatSource(e),
      e.message.trim(),
      firstSeen,
      count,
      obj.metadata.name ?? '',
    ];
  },
};
