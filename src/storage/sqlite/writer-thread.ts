/**
 * The main thread's handle on the writer worker: sends writes in order, settles them in
 * order as group results come back, and turns a dead worker into failed calls instead of
 * hung ones.
 *
 * The worker is unref'd while idle, so an open store keeps a process alive only while it
 * has writes or a compaction in flight (as the synchronous store did).
 */
import { Worker } from 'node:worker_threads';
import type { KeyValue } from '../interface.js';
import { settleGroup, type PendingWrite, type Writer, type WriterHooks } from './writer.js';
import { CommitFailedError, WriterFailedError, type FromWriter, type ToWriter, type WriteOp } from './writer-protocol.js';
import type { WriterWorkerData } from './writer-worker.js';

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class WriterThread implements Writer {
  private readonly worker: Worker;
  private readonly inFlight: PendingWrite[] = [];
  /** Writes not yet posted: the writes issued in one synchronous run travel in one message. */
  private outgoing: WriteOp[] = [];
  private readonly compactions = new Map<number, Waiter>();
  private referenced = false;
  private failure: WriterFailedError | undefined;
  private closing: Promise<void> | undefined;
  private readonly closedByRequest: Promise<void>;
  private sawClosed = false;
  private settleClosed: () => void = () => {};

  constructor(
    path: string,
    private readonly hooks: WriterHooks,
  ) {
    this.closedByRequest = new Promise((resolve) => (this.settleClosed = resolve));
    const workerData: WriterWorkerData = { path };
    this.worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData });
    this.worker.unref();
    this.worker.on('message', (msg: FromWriter) => this.onMessage(msg));
    this.worker.on('error', (err) => this.fail(new WriterFailedError(err.message, { cause: err })));
    this.worker.on('exit', (code) => {
      if (!this.sawClosed) this.fail(new WriterFailedError(`worker exited (code ${code})`));
      this.settleClosed();
    });
  }

  write(op: WriteOp): Promise<KeyValue> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<KeyValue>((resolve, reject) => {
      this.inFlight.push({ op, resolve, reject });
      this.outgoing.push(op);
      this.scheduleSend();
      this.updateRef();
    });
  }

  compact(revision: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.compactions.set(revision, { resolve, reject });
      this.post({ type: 'compact', revision });
      this.updateRef();
    });
  }

  /** Lets every write and compaction already sent finish, then stops the worker. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.sendWrites();
      this.post({ type: 'close' });
      // Held until 'exit', also when it died: a failed worker may still be on its way out.
      this.worker.ref();
      await this.closedByRequest;
    })();
    return this.closing;
  }

  private scheduleSend(): void {
    if (this.outgoing.length !== 1) return;
    // Right after the current synchronous run, not at the end of the turn: a write that
    // waited for the rest of the turn's requests would leave the writer idle meanwhile.
    queueMicrotask(() => this.sendWrites());
  }

  private sendWrites(): void {
    if (this.outgoing.length === 0 || this.failure) return;
    const ops = this.outgoing;
    this.outgoing = [];
    this.post({ type: 'write', ops });
  }

  private post(msg: ToWriter): void {
    if (!this.failure) this.worker.postMessage(msg);
  }

  private onMessage(msg: FromWriter): void {
    switch (msg.type) {
      case 'committed':
        settleGroup(this.inFlight.splice(0, msg.outcomes.length), msg.outcomes, this.hooks);
        break;
      case 'aborted': {
        const err = new CommitFailedError(msg.message);
        for (const w of this.inFlight.splice(0, msg.count)) w.reject(err);
        break;
      }
      case 'compacted':
        this.compactions.get(msg.revision)?.resolve();
        this.compactions.delete(msg.revision);
        break;
      case 'compactFailed':
        this.compactions.get(msg.revision)?.reject(new CommitFailedError(`compaction to ${msg.revision}: ${msg.message}`));
        this.compactions.delete(msg.revision);
        break;
      case 'closed':
        this.sawClosed = true;
        break;
    }
    this.updateRef();
  }

  private fail(err: WriterFailedError): void {
    if (this.failure) return;
    this.failure = err;
    this.outgoing = [];
    for (const w of this.inFlight.splice(0)) w.reject(err);
    for (const c of this.compactions.values()) c.reject(err);
    this.compactions.clear();
    this.hooks.failed(err);
    // An 'error' is followed by 'exit'; anything else wrong with a live worker ends it here.
    void this.worker.terminate();
    this.updateRef();
  }

  private updateRef(): void {
    const busy = !this.failure && (this.inFlight.length > 0 || this.compactions.size > 0);
    if (busy === this.referenced || this.closing) return;
    this.referenced = busy;
    if (busy) this.worker.ref();
    else this.worker.unref();
  }
}
