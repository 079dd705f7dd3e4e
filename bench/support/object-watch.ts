/** A watch whose events arrive parsed: type and object. */
import type { Agent } from 'node:https';
import { openWatch, type WatchStream } from './watch-stream.js';

export interface WatchedObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export type WatchHandler = (type: string, obj: WatchedObject) => void;

export function watchObjects(agent: Agent, base: URL, path: string, onEvent: WatchHandler): Promise<WatchStream> {
  return openWatch(agent, base, path, (line) => {
    const ev = JSON.parse(line) as { type: string; object: WatchedObject };
    if (ev.type === 'ERROR') throw new Error(`watch ${path}: ${JSON.stringify(ev.object)}`);
    onEvent(ev.type, ev.object);
  });
}

/** Resolves when `done()` holds after some event; checked after every event. */
export function until(done: () => boolean): { check(): void; reached: Promise<void> } {
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  return {
    check: () => {
      if (done()) resolve();
    },
    reached,
  };
}
