/**
 * A long-running kubectl (`get -w`, `wait`) whose output is read line by line while the test
 * changes the cluster. Every wait ends when a matching line arrives or when kubectl exits, so the
 * only clocks are kubectl's own `--timeout`/`--request-timeout` flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestServer } from '../../src/testing/test-server.js';

export type StreamName = 'stdout' | 'stderr';

export interface KubectlExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Waiter {
  stream: StreamName;
  match: (line: string) => boolean;
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
}

export class StreamingKubectl {
  readonly child: ChildProcess;
  readonly exited: Promise<KubectlExit>;
  private readonly seen: Record<StreamName, string[]> = { stdout: [], stderr: [] };
  private readonly cursor: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  private readonly partial: Record<StreamName, string> = { stdout: '', stderr: '' };
  private waiters: Waiter[] = [];
  private exit: KubectlExit | undefined;

  constructor(server: TestServer, args: string[], binary = 'kubectl') {
    this.child = spawn(binary, args, { env: { ...process.env, ...server.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.child[stream]!.setEncoding('utf8');
      this.child[stream]!.on('data', (chunk: string) => this.onData(stream, chunk));
    }
    this.exited = new Promise((resolve) => {
      // A binary that cannot be started reports 'error' and never 'close'.
      this.child.once('error', (err) => {
        this.seen.stderr.push(String(err));
        this.child.emit('close', 127, null);
      });
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        for (const stream of ['stdout', 'stderr'] as const) {
          if (this.partial[stream] !== '') this.push(stream, this.partial[stream]);
          this.partial[stream] = '';
        }
        this.exit = { code, signal };
        const pending = this.waiters;
        this.waiters = [];
        for (const w of pending) w.reject(new Error(`kubectl ${args.join(' ')} exited (${code ?? signal}) before a matching ${w.stream} line\n${this.transcript()}`));
        resolve(this.exit);
      });
    });
  }

  /** Whether kubectl is still running (has not exited on its own or been killed). */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** Every line printed so far on a stream. */
  output(stream: StreamName = 'stdout'): string[] {
    return [...this.seen[stream]];
  }

  /**
   * Lines from the last consumed one up to and including the first that matches; rejects when
   * kubectl exits first.
   */
  nextLinesUntil(match: RegExp | ((line: string) => boolean), stream: StreamName = 'stdout'): Promise<string[]> {
    const fn = typeof match === 'function' ? match : (l: string) => match.test(l);
    const found = this.take(stream, fn);
    if (found) return Promise.resolve(found);
    if (this.exit) return Promise.reject(new Error(`kubectl already exited (${this.exit.code ?? this.exit.signal})\n${this.transcript()}`));
    return new Promise((resolve, reject) => this.waiters.push({ stream, match: fn, resolve, reject }));
  }

  /** Stops kubectl by its PID and waits for it to go. */
  async kill(): Promise<KubectlExit> {
    if (!this.exit && this.child.pid !== undefined) process.kill(this.child.pid, 'SIGTERM');
    return this.exited;
  }

  transcript(): string {
    return `--- stdout\n${this.seen.stdout.join('\n')}\n--- stderr\n${this.seen.stderr.join('\n')}`;
  }

  private onData(stream: StreamName, chunk: string): void {
    const parts = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = parts.pop()!;
    for (const line of parts) this.push(stream, line);
  }

  private push(stream: StreamName, line: string): void {
    this.seen[stream].push(line);
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      const found = w.stream === stream ? this.take(stream, w.match) : undefined;
      if (found) w.resolve(found);
      else remaining.push(w);
    }
    this.waiters = remaining;
  }

  private take(stream: StreamName, match: (line: string) => boolean): string[] | undefined {
    const all = this.seen[stream];
    for (let i = this.cursor[stream]; i < all.length; i++) {
      if (match(all[i]!)) {
        const taken = all.slice(this.cursor[stream], i + 1);
        this.cursor[stream] = i + 1;
        return taken;
      }
    }
    return undefined;
  }
}
