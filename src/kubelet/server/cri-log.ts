/**
 * CRI container log records (`<RFC3339Nano> stdout|stderr F|P <content>`, as containerd writes
 * them) and the PodLogOptions filters the kubelet applies while copying them to a client.
 * Pure functions: the file reading and following live in container-logs.ts.
 */

export interface CriLogRecord {
  /** The timestamp as written (RFC3339Nano, trailing zeros trimmed). */
  time: string;
  /** Milliseconds since the epoch (for since filters). */
  ms: number;
  stream: 'stdout' | 'stderr';
  /** P: a chunk of a longer line; the line goes on in the next record. */
  partial: boolean;
  content: Buffer;
}

export interface LogFilter {
  timestamps: boolean;
  /** Records older than this (ms since the epoch) are skipped. */
  sinceMs?: number;
  /** Only the last n records (upstream counts records, partial ones included). */
  tailLines?: number;
  limitBytes?: number;
}

/** Parses one record (without its trailing newline); undefined for a malformed one. */
export function parseCriLogLine(line: Buffer): CriLogRecord | undefined {
  const s1 = line.indexOf(0x20);
  const s2 = s1 < 0 ? -1 : line.indexOf(0x20, s1 + 1);
  const s3 = s2 < 0 ? -1 : line.indexOf(0x20, s2 + 1);
  if (s3 < 0) {
    // A full record with empty content may lack the last space.
    if (s2 < 0) return undefined;
  }
  const time = line.subarray(0, s1).toString('latin1');
  const stream = line.subarray(s1 + 1, s2).toString('latin1');
  const tag = line.subarray(s2 + 1, s3 < 0 ? line.length : s3).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  return { time, ms, stream, partial: tag.split(':')[0] === 'P', content: s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1) };
}

/** Upstream prints log timestamps with all nine fraction digits (RFC3339NanoFixed). */
export function fixedNanoTimestamp(time: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return time;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}${m[3]}`;
}

/** The bytes a client sees for one record. */
export function renderRecord(r: CriLogRecord, timestamps: boolean): Buffer {
  const parts = [r.content];
  if (timestamps) parts.unshift(Buffer.from(fixedNanoTimestamp(r.time) + ' '));
  if (!r.partial) parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

/** Splits a chunk of the file into complete records; `rest` is an unfinished last line. */
export function splitRecords(data: Buffer): { records: CriLogRecord[]; rest: Buffer } {
  const records: CriLogRecord[] = [];
  let start = 0;
  for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
    const r = parseCriLogLine(data.subarray(start, nl));
    if (r) records.push(r);
    start = nl + 1;
  }
  return { records, rest: data.subarray(start) };
}

/** Applies since and tail to the records already in the file. */
export function selectRecords(records: CriLogRecord[], f: LogFilter): CriLogRecord[] {
  let out = f.sinceMs === undefined ? records : records.filter((r) => r.ms >= f.sinceMs!);
  if (f.tailLines !== undefined) out = f.tailLines === 0 ? [] : out.slice(-f.tailLines);
  return out;
}

/** Counts what has been written against limitBytes; `take` trims the last piece to fit. */
export class ByteBudget {
  private left: number;
  constructor(limit: number | undefined) {
    this.left = limit ?? Infinity;
  }
  get exhausted(): boolean {
    return this.left <= 0;
  }
  take(b: Buffer): Buffer {
    if (b.length <= this.left) {
      this.left -= b.length;
      return b;
    }
    const cut = b.subarray(0, this.left);
    this.left = 0;
    return cut;
  }
}
