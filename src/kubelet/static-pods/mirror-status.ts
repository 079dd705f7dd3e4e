/**
 * Pod status for static pods goes to their mirror pods: the status manager is asked with the
 * static pod's UID, which the API does not know, so it is translated to the mirror pod's UID
 * (and held back until a mirror pod exists).
 */
import type { KubeObject } from '../../api/object.js';
import { StatusManager } from '../status/status-manager.js';

interface Pending {
  namespace: string;
  name: string;
  status: Record<string, unknown>;
}

export class MirrorAwareStatusManager extends StatusManager {
  private staticPods: { isStatic(uid: string): boolean; mirror(uid: string): KubeObject | undefined } | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly mirrorUids = new Map<string, string>();

  /** Connects the static pod source (created after this). */
  attach(staticPods: { isStatic(uid: string): boolean; mirror(uid: string): KubeObject | undefined }): void {
    this.staticPods = staticPods;
  }

  override set(namespace: string, name: string, uid: string, status: Record<string, unknown>, current?: Record<string, unknown>): void {
    if (!this.staticPods?.isStatic(uid)) return super.set(namespace, name, uid, status, current);
    this.pending.set(uid, { namespace, name, status });
    this.flush(uid);
  }

  /** Writes the latest status of a static pod to its (possibly new) mirror pod. */
  flush(uid: string): void {
    const p = this.pending.get(uid);
    const mirror = this.staticPods?.mirror(uid);
    if (!p || !mirror?.metadata.uid || mirror.metadata.deletionTimestamp) return;
    const before = this.mirrorUids.get(uid);
    if (before && before !== mirror.metadata.uid) super.forget(before);
    this.mirrorUids.set(uid, mirror.metadata.uid);
    super.set(p.namespace, p.name, mirror.metadata.uid, p.status, mirror.status as Record<string, unknown> | undefined);
  }

  override forget(uid: string): void {
    const mirror = this.mirrorUids.get(uid);
    if (mirror) super.forget(mirror);
    this.mirrorUids.delete(uid);
    this.pending.delete(uid);
    super.forget(uid);
  }
}
