/**
 * Compaction in small id ranges, each its own short transaction, so the writer can commit
 * write groups between ranges while history is trimmed. Runs on the writer's connection:
 * there is only ever one writing connection.
 */
import type { Database, Transaction } from 'better-sqlite3';
import type { Queries } from './queries.js';
import { metaCompactDone, metaCompactRevision } from './schema.js';

const idsPerBatch = 2000;

export class Compaction {
  private readonly step: Transaction<(from: number, to: number, revision: number) => void>;
  /** Highest revision whose superseded rows are deleted. */
  private done: number;
  /** The revision being compacted to (0 = nothing to do). */
  private target = 0;

  constructor(
    private readonly db: Database,
    private readonly queries: Queries,
  ) {
    this.done = queries.getMeta.get(metaCompactDone)?.value ?? 0;
    this.step = db.transaction((from: number, to: number, revision: number) => {
      queries.compactBatch.run({ from, to, revision });
      queries.setMeta.run(metaCompactDone, to);
    });
  }

  /**
   * Records `revision` as the compacted revision (durably, before any row goes) and makes
   * it the target of the following steps.
   */
  start(revision: number): void {
    if (revision <= this.target) return;
    this.db.transaction(() => {
      const recorded = this.queries.getMeta.get(metaCompactRevision)?.value ?? 0;
      if (revision > recorded) this.queries.setMeta.run(metaCompactRevision, revision);
    }).immediate();
    this.target = revision;
  }

  get pending(): boolean {
    return this.done < this.target;
  }

  /** The revision up to which history is gone. */
  get reached(): number {
    return this.done;
  }

  /** Deletes one id range; resumes after the last finished range (also across restarts). */
  runStep(): void {
    if (!this.pending) return;
    const to = Math.min(this.target, this.done + idsPerBatch);
    this.step.immediate(this.done, to, this.target);
    this.done = to;
  }
}
