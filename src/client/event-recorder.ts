/**
 * Records core/v1 Events about objects, like client-go's EventRecorder with its correlator:
 * a repeat of the same event (same object, type, reason, message, source) within the
 * aggregation window updates the existing Event's count and lastTimestamp instead of
 * creating a new one. Recording never throws: events are best effort.
 */
import type { KubeObject } from '../api/object.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from './client.js';
import { Resources } from './resources.js';
import { rfc3339 } from './time-format.js';

export type EventType = 'Normal' | 'Warning';

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
  /** Settles when the Event's create has answered; true when it exists. */
  created: Promise<boolean>;
}

const WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 4096;

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** `source.component`, e.g. `deployment-controller`, `default-scheduler`. */
    private readonly component: string,
    private readonly host = '',
  ) {}

  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    void this.record(obj, type, reason, message, fieldPath).catch((err) => this.log.debug('event not recorded', { reason, error: err }));
  }

  private async record(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const now = this.clock.now();
    const ts = rfc3339(now);
    const key = [m.uid, type, reason, message, this.component, fieldPath ?? ''].join('\u0000');
    const prev = this.seen.get(key);
    if (prev && now - prev.at < WINDOW_MS) {
      prev.count++;
      prev.at = now;
      const count = prev.count;
      // NOTE: the first create may still be in flight; the entry is reserved before any await
      // so events of one burst are merged into one Event.
      if (await prev.created) {
        try {
          await this.client.patch(Resources.events, prev.namespace, prev.name, 'merge', { count, lastTimestamp: ts });
          return;
        } catch {
          this.seen.delete(key);
        }
      } else return;
    }
    const name = `${m.name}.${(now * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    let settle!: (ok: boolean) => void;
    const created = new Promise<boolean>((r) => (settle = r));
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { name, namespace, count: 1, first: ts, at: now, created });
    try {
      await this.client.create(Resources.events, namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason,
        message,
        type,
        source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
        reportingComponent: this.component,
        reportingInstance: this.host,
      });
      settle(true);
    } catch (err) {
      settle(false);
      this.seen.delete(key);
      throw err;
    }
  }
}
