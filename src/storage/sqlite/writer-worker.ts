/**
 * The writer thread: owns the only writing connection, so commits and their fsync never
 * block the main thread's event loop.
 *
 * Group commit without timers: every write that arrived while the previous group was
 * committing (this thread is blocked in COMMIT meanwhile, so they pile up in the port)
 * forms the next group, with one IMMEDIATE transaction and one fsync. Results are posted
 * only after COMMIT returned, so an acknowledged write is durable and visible to the main
 * thread's reads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Compaction } from './compaction.js';
import { GroupCommitter } from './group-commit.js';
import { openConnection } from './connection.js';
import { Queries } from './queries.js';
import type { FromWriter, ToWriter, WriteOp } from './writer-protocol.js';

export interface WriterWorkerData {
  path: string;
}

const port = parentPort;
if (!port) throw new Error('writer-worker runs inside a worker thread');
const { path } = workerData as WriterWorkerData;

const db = openConnection(path);
const queries = new Queries(db);
const committer = new GroupCommitter(db, queries, queries.maxRevision.get()?.rev ?? 0);
const compaction = new Compaction(db, queries);

let queue: WriteOp[] = [];
let commitScheduled = false;
const compactWaiters: number[] = [];
let compactScheduled = false;

const post = (msg: FromWriter) => port.postMessage(msg);

port.on('message', (msg: ToWriter) => {
  switch (msg.type) {
    case 'write':
      for (const op of msg.ops) queue.push(op);
      return scheduleCommit();
    case 'compact':
      compactWaiters.push(msg.revision);
      try {
        compaction.start(msg.revision);
      } catch (err) {
        compactWaiters.pop();
        post({ type: 'compactFailed', revision: msg.revision, message: String(err) });
      }
      return scheduleCompaction();
    case 'close':
      // Messages are handled in order, so every write sent before `close` is queued here.
      commitGroup();
      // Compaction stops where it is; the next one resumes from there.
      for (const revision of compactWaiters.splice(0)) post({ type: 'compacted', revision });
      db.close();
      post({ type: 'closed' });
      port.close();
  }
});

function scheduleCommit(): void {
  if (commitScheduled) return;
  commitScheduled = true;
  // The check phase comes after the port delivered every message that arrived while the
  // previous group was committing: they all form this group.
  setImmediate(commitGroup);
}

function commitGroup(): void {
  commitScheduled = false;
  if (queue.length === 0) return;
  const group = queue;
  queue = [];
  try {
    post({ type: 'committed', outcomes: committer.commit(group) });
  } catch (err) {
    post({ type: 'aborted', count: group.length, message: err instanceof Error ? err.message : String(err) });
  }
}

/** One id range per turn, so write groups commit in between. */
function scheduleCompaction(): void {
  if (compactScheduled || compactWaiters.length === 0) return;
  compactScheduled = true;
  setImmediate(() => {
    compactScheduled = false;
    compactStep();
    scheduleCompaction();
  });
}

function compactStep(): void {
  if (compactWaiters.length === 0) return;
  try {
    compaction.runStep();
  } catch (err) {
    for (const revision of compactWaiters.splice(0)) post({ type: 'compactFailed', revision, message: String(err) });
    return;
  }
  const reached = compaction.pending ? compaction.reached : Infinity;
  for (let i = 0; i < compactWaiters.length; ) {
    if (compactWaiters[i] <= reached) post({ type: 'compacted', revision: compactWaiters.splice(i, 1)[0] });
    else i++;
  }
}
