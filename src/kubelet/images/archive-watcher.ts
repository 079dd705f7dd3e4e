/**
 * Imports image archives dropped into `<data-dir>/agent/images/`: all of them at start,
 * then each new or changed one once its size has stopped changing (a copy in progress
 * is not imported half-written). Root-filesystem tarballs are skipped: they need a name.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { realClock, type Clock, type Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { classifyTarball } from './archive-kind.js';

export interface ArchiveWatcherOptions {
  dir: string;
  importArchive: (file: string) => Promise<unknown>;
  logger: Logger;
  clock?: Clock;
  /** How long a file's size must stay the same before it is imported (default 1 s). */
  settleMs?: number;
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.zst|tar\.xz)$/;

export class ArchiveWatcher {
  private watcher: FSWatcher | undefined;
  private readonly done = new Map<string, string>();
  private readonly pending = new Map<string, { fingerprint: string; timer: Timer }>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly clock: Clock;

  constructor(private readonly opts: ArchiveWatcherOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** Imports what is already there (awaited), then keeps watching. */
  async start(): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true });
    this.watcher = watch(this.opts.dir, (_event, file) => {
      if (file && ARCHIVE.test(file)) void this.check(file.toString());
    });
    this.watcher.on('error', (err) => this.opts.logger.warn('image folder watch failed', { err }));
    const files = (await readdir(this.opts.dir)).filter((f) => ARCHIVE.test(f)).sort();
    for (const f of files) await this.enqueue(f, await this.fingerprint(f));
  }

  /** Resolves when every import queued so far has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async fingerprint(file: string): Promise<string | undefined> {
    try {
      const s = await stat(join(this.opts.dir, file));
      return s.isFile() ? `${s.size}:${s.mtimeMs}` : undefined;
    } catch {
      return undefined;
    }
  }

  private async check(file: string): Promise<void> {
    const fp = await this.fingerprint(file);
    const prior = this.pending.get(file);
    prior?.timer.cancel();
    if (!fp || this.done.get(file) === fp || this.closed) {
      this.pending.delete(file);
      return;
    }
    const timer = this.clock.setTimeout(async () => {
      if ((await this.fingerprint(file)) === fp) {
        this.pending.delete(file);
        void this.enqueue(file, fp);
      } else void this.check(file);
    }, this.opts.settleMs ?? 1000);
    this.pending.set(file, { fingerprint: fp, timer });
  }

  private enqueue(file: string, fp: string | undefined): Promise<void> {
    if (!fp || this.done.get(file) === fp) return this.queue;
    this.done.set(file, fp);
    this.queue = this.queue.then(() => this.importOne(file));
    return this.queue;
  }

  private async importOne(file: string): Promise<void> {
    if (this.closed) return;
    const path = join(this.opts.dir, file);
    try {
      if ((await classifyTarball(path)) === 'rootfs') {
        this.opts.logger.warn('skipping a root-filesystem tarball in the images folder; use skiff images import --name', { file });
        return;
      }
      const started = this.clock.now();
      const result = await this.opts.importArchive(path);
      this.opts.logger.info('imported image archive', { file, result, ms: this.clock.now() - started });
    } catch (err) {
      this.opts.logger.error('importing image archive failed', { file, err });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
    await this.queue;
  }
}
