/**
 * A time-ordered schedule of due keys driven by one clock timer: thousands of pods waiting
 * for a readiness delay, an exit or a back-off cost one heap entry each, not one timer each.
 * Rescheduling a key leaves its old entry in the heap; stale entries are skipped when popped.
 */
import type { Clock, Timer } from '../base/clock.js';

interface Entry {
  at: number;
  key: string;
}

export class DueSchedule {
  private readonly heap: Entry[] = [];
  private readonly due = new Map<string, number>();
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: string) => void,
  ) {}

  /** Makes `key` due at `at` (replacing any earlier schedule); undefined unschedules it. */
  set(key: string, at: number | undefined): void {
    if (at === undefined) {
      this.due.delete(key);
      return;
    }
    if (this.due.get(key) === at) return;
    this.due.set(key, at);
    this.push({ at, key });
    this.arm();
  }

  get size(): number {
    return this.due.size;
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length && this.heap[0].at <= now) {
      const e = this.pop();
      if (this.due.get(e.key) !== e.at) continue;
      this.due.delete(e.key);
      this.onDue(e.key);
    }
    this.arm();
  }

  private arm(): void {
    if (this.closed) return;
    while (this.heap.length && this.due.get(this.heap[0].key) !== this.heap[0].at) this.pop();
    const next = this.heap[0]?.at;
    if (next === undefined || next >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = next;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, next - this.clock.now()));
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].at <= h[i].at) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].at < h[m].at) m = l;
        if (r < h.length && h[r].at < h[m].at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
