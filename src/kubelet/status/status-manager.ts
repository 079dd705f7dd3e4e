/**
 * Writes pod status to the API: only when it changed since the last write, at most one write
 * in flight per pod, and a pod whose status changed meanwhile is written once more with the
 * latest. A merge patch of pods/status; fields that disappeared are sent as null.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { Resources } from '../../client/resources.js';

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  desired: Record<string, unknown>;
  written?: string;
  writtenKeys: string[];
  writing: boolean;
}

export class StatusManager {
  private readonly pods = new Map<string, Entry>();

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  set(namespace: string, name: string, uid: string, status: Record<string, unknown>, current?: Record<string, unknown>): void {
    let e = this.pods.get(uid);
    if (!e) {
      e = { namespace, name, uid, desired: status, writtenKeys: Object.keys(current ?? {}), writing: false };
      if (current && JSON.stringify(normalize(current)) === JSON.stringify(normalize(status))) e.written = JSON.stringify(status);
      this.pods.set(uid, e);
    }
    e.desired = status;
    if (JSON.stringify(status) !== e.written) void this.write(e);
  }

  forget(uid: string): void {
    this.pods.delete(uid);
  }

  private async write(e: Entry): Promise<void> {
    if (e.writing) return;
    e.writing = true;
    try {
      while (this.pods.get(e.uid) === e) {
        const text = JSON.stringify(e.desired);
        if (text === e.written) break;
        const patch: Record<string, unknown> = { ...e.desired };
        for (const k of e.writtenKeys) if (!(k in patch)) patch[k] = null;
        try {
          await this.client.patch(Resources.pods, e.namespace, e.name, 'merge', { metadata: { uid: e.uid }, status: patch }, { subresource: 'status' });
          e.written = text;
          e.writtenKeys = Object.keys(e.desired);
        } catch (err) {
          if (isNotFound(err)) break;
          this.log.warn('writing pod status failed', { pod: `${e.namespace}/${e.name}`, error: err });
          await this.clock.sleep(1000);
        }
      }
    } finally {
      e.writing = false;
    }
  }
}

/** Field order differs between what the API returns and what the agent renders. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, normalize((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
