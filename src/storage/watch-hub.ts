/**
 * Fans committed events out to watchers of local backends (sqlite, memory).
 *
 * A new watcher first catches up from history (paged, so a long backlog never blocks the
 * event loop for long), buffering live events meanwhile; it then switches to live delivery.
 * The switch point is the store revision at subscribe time: history covers
 * (afterRevision, switchRevision], live events are all > switchRevision, so there is
 * neither a gap nor a duplicate.
 *
 * Watchers are grouped by prefix so one commit is filtered once per distinct prefix,
 * not once per watcher (the apiserver keeps one watch per resource prefix).
 */
import { hasPrefix } from './key-range.js';
import type { Watch, WatchEvent, WatchHandlers } from './interface.js';

/**
 * Reads committed events under prefix with afterRevision < revision <= upTo, in order,
 * at most `limit`. Throws CompactedError when that history is gone.
 */
export type HistoryReader = (prefix: string, afterRevision: number, upTo: number, limit: number) => WatchEvent[];

const historyPageSize = 500;

interface Subscriber {
  prefix: string;
  handlers: WatchHandlers;
  live: boolean;
  buffered: WatchEvent[];
  done: boolean;
}

export class WatchHub {
  private readonly groups = new Map<string, Set<Subscriber>>();
  /**
   * Deliveries run one at a time: a handler that writes (memory publishes synchronously)
   * queues behind the delivery in progress instead of overtaking it, keeping revision order.
   */
  private readonly outbox: (() => void)[] = [];
  private draining = false;

  constructor(private readonly readHistory: HistoryReader) {}

  /** Must be called synchronously with respect to commits: `currentRevision` is the switch point. */
  subscribe(prefix: string, afterRevision: number, currentRevision: number, handlers: WatchHandlers): Watch {
    const sub: Subscriber = { prefix, handlers, live: false, buffered: [], done: false };
    let group = this.groups.get(prefix);
    if (!group) this.groups.set(prefix, (group = new Set()));
    group.add(sub);
    this.catchUp(sub, afterRevision, currentRevision);
    return { close: () => this.remove(sub) };
  }

  /** Delivers the events of one commit (revision order) to every live watcher. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0) return;
    this.run(() => this.fanOut(events));
  }

  private fanOut(events: WatchEvent[]): void {
    const last = events[events.length - 1].revision;
    for (const [prefix, group] of this.groups) {
      const matching = prefix === '' ? events : events.filter((e) => hasPrefix(e.kv.key, prefix));
      for (const sub of group) {
        if (!sub.live) {
          for (const e of matching) sub.buffered.push(e);
        } else if (matching.length > 0) {
          this.deliver(sub, matching);
        } else if (sub.handlers.onProgress) {
          this.call(sub, () => sub.handlers.onProgress!(last));
        }
      }
    }
  }

  /** Ends every watch with `err` (store closed). */
  closeAll(err: Error): void {
    for (const group of this.groups.values()) for (const sub of group) this.fail(sub, err);
    this.groups.clear();
  }

  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.size;
    return n;
  }

  /** Reports an error asynchronously without registering anything (failed preconditions). */
  static failLater(handlers: WatchHandlers, err: Error): Watch {
    let closed = false;
    setImmediate(() => {
      if (!closed) handlers.onError(err);
    });
    return { close: () => void (closed = true) };
  }

  private catchUp(sub: Subscriber, position: number, switchRevision: number): void {
    const step = () => this.run(() => {
      if (sub.done) return;
      let page: WatchEvent[];
      try {
        page = this.readHistory(sub.prefix, position, switchRevision, historyPageSize);
      } catch (err) {
        this.fail(sub, err as Error);
        return;
      }
      if (page.length > 0) {
        position = page[page.length - 1].revision;
        this.deliver(sub, page);
        if (sub.done) return;
      }
      if (page.length === historyPageSize) {
        setImmediate(step);
        return;
      }
      sub.live = true;
      // A publish queued behind the current delivery may carry revisions history already had.
      const buffered = sub.buffered.filter((e) => e.revision > switchRevision);
      sub.buffered = [];
      if (buffered.length > 0) this.deliver(sub, buffered);
    });
    // NOTE: even an empty catch-up is asynchronous, so handlers never run inside watch().
    setImmediate(step);
  }

  private run(task: () => void): void {
    this.outbox.push(task);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.outbox.shift(); next; next = this.outbox.shift()) next();
    } finally {
      this.draining = false;
    }
  }

  private deliver(sub: Subscriber, events: WatchEvent[]): void {
    this.call(sub, () => sub.handlers.onEvents(events));
  }

  private call(sub: Subscriber, fn: () => void): void {
    if (sub.done) return;
    try {
      fn();
    } catch (err) {
      // A throwing handler must not break the write path or other watchers: end its watch.
      this.fail(sub, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private fail(sub: Subscriber, err: Error): void {
    if (sub.done) return;
    this.remove(sub);
    try {
      sub.handlers.onError(err);
    } catch {
      // nothing left to tell
    }
  }

  private remove(sub: Subscriber): void {
    sub.done = true;
    sub.buffered = [];
    const group = this.groups.get(sub.prefix);
    if (!group) return;
    group.delete(sub);
    if (group.size === 0) this.groups.delete(sub.prefix);
  }
}
