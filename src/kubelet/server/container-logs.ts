/**
 * Copies a container's CRI log file to a client with the PodLogOptions filters applied, and
 * with `follow` keeps copying appended records until the container exits or the client goes.
 * Following polls the file through the clock (containerd appends; no rotation yet).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Clock } from '../../base/clock.js';
import { ByteBudget, renderRecord, selectRecords, splitRecords, type CriLogRecord, type LogFilter } from './cri-log.js';

export const FOLLOW_POLL_MS = 200;

export interface StreamLogOptions extends LogFilter {
  follow: boolean;
  /** Still running? Asked while following, after a poll found nothing new. */
  running: () => Promise<boolean>;
  clock: Clock;
  signal: AbortSignal;
}

async function readFrom(fh: FileHandle, offset: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (;;) {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return Buffer.concat(chunks);
}

function write(out: Writable, b: Buffer): Promise<void> {
  if (b.length === 0) return Promise.resolve();
  return new Promise((resolve) => (out.write(b) ? resolve() : out.once('drain', resolve)));
}

export async function streamContainerLog(path: string, out: Writable, o: StreamLogOptions): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const budget = new ByteBudget(o.limitBytes);
    const emit = async (records: CriLogRecord[]) => {
      for (const r of records) {
        if (budget.exhausted || o.signal.aborted) return;
        await write(out, budget.take(renderRecord(r, o.timestamps)));
      }
    };
    let data = await readFrom(fh, 0);
    let offset = data.length;
    let { records, rest } = splitRecords(data);
    await emit(selectRecords(records, o));
    while (o.follow && !budget.exhausted && !o.signal.aborted) {
      data = await readFrom(fh, offset);
      offset += data.length;
      if (data.length === 0) {
        if (!(await o.running())) {
          // One last read: the container may have written just before it exited.
          data = await readFrom(fh, offset);
          offset += data.length;
          ({ records, rest } = splitRecords(Buffer.concat([rest, data])));
          await emit(o.sinceMs === undefined ? records : records.filter((r) => r.ms >= o.sinceMs!));
          return;
        }
        await o.clock.sleep(FOLLOW_POLL_MS, o.signal).catch(() => undefined);
        continue;
      }
      ({ records, rest } = splitRecords(Buffer.concat([rest, data])));
      await emit(o.sinceMs === undefined ? records : records.filter((r) => r.ms >= o.sinceMs!));
    }
  } finally {
    await fh.close();
  }
}
