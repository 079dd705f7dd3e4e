/**
 * Group commit: every write requested before the next turn of the event loop runs in one
 * transaction, so one fsync acknowledges the whole group. Each write still checks its own
 * precondition inside the transaction and gets its own result; a failed precondition fails
 * only that write. An I/O error aborts the transaction and fails the whole group.
 */
import type { Database } from 'better-sqlite3';
import { StorageError } from '../interface.js';

interface Pending<T> {
  run: () => T;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface BatchHooks {
  /** Called before a group's transaction; returns an undo for when it rolls back. */
  begin(): () => void;
  /** Called after a group committed, before any caller's promise settles. */
  committed(): void;
}

export class WriteBatcher {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly hooks: BatchHooks,
  ) {}

  /** Queues `run` (executed inside the group's transaction). */
  submit<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once every queued write has settled. */
  drained(): Promise<void> {
    if (!this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    const group = this.queue;
    this.queue = [];
    this.scheduled = false;
    const outcomes: Outcome[] = [];
    const undo = this.hooks.begin();
    try {
      this.db.transaction(() => {
        for (const p of group) {
          try {
            outcomes.push({ ok: true, value: p.run() });
          } catch (error) {
            // Precondition failures are checked before anything is written: keep the group.
            if (!(error instanceof StorageError)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      undo();
      for (const p of group) p.reject(error);
      this.notifyIdle();
      return;
    }
    this.hooks.committed();
    group.forEach((p, i) => {
      const o = outcomes[i];
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.scheduled || this.queue.length > 0) return;
    const waiters = this.idle;
    this.idle = [];
    for (const w of waiters) w();
  }
}
