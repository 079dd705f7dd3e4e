/**
 * Explicit lifetimes: everything long-lived can be closed; owners close what they own,
 * in reverse order of acquisition.
 */
export interface Closeable {
  close(): Promise<void> | void;
}

export class DisposableStack implements Closeable {
  private items: Closeable[] = [];
  private closed = false;
  add<T extends Closeable>(item: T): T {
    if (this.closed) throw new Error('DisposableStack already closed');
    this.items.push(item);
    return item;
  }
  defer(fn: () => Promise<void> | void): void {
    this.add({ close: fn });
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    for (const item of this.items.reverse()) {
      try {
        await item.close();
      } catch (err) {
        errors.push(err);
      }
    }
    this.items = [];
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'errors while closing');
  }
}
