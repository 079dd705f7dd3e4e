/**
 * Prepared statements over the kv table. Prefix ranges are [prefix, prefixEnd(prefix));
 * an empty end means "unbounded", which needs its own statement text.
 */
import type { Database, Statement } from 'better-sqlite3';

export interface KvRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  value: string;
}

export interface HistoryRow extends KvRow {
  p_id: number | null;
  p_create_revision: number | null;
  p_value: string | null;
}

const latestColumns = 'id, name, created, deleted, create_revision, value';

export class Queries {
  readonly latest: Statement<[string], KvRow>;
  /** The key's newest row at or below a revision. */
  readonly latestAt: Statement<[string, number], KvRow>;
  readonly insert: Statement<[number, string, number, number, number, number, string]>;
  readonly maxRevision: Statement<[], { rev: number | null }>;
  readonly getMeta: Statement<[string], { value: number }>;
  readonly setMeta: Statement<[string, number]>;
  readonly compactBatch: Statement<[{ from: number; to: number; revision: number }]>;
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    this.latest = db.prepare(`SELECT ${latestColumns} FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`);
    this.latestAt = db.prepare(`SELECT ${latestColumns} FROM kv WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`);
    this.insert = db.prepare(
      'INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // AUTOINCREMENT's sequence remembers the highest id ever used, even when compaction
    // deleted that row (a compacted tombstone), so revisions never go backwards.
    this.maxRevision = db.prepare(
      "SELECT MAX(rev) AS rev FROM (SELECT seq AS rev FROM sqlite_sequence WHERE name = 'kv' UNION ALL SELECT MAX(id) FROM kv)",
    );
    this.getMeta = db.prepare('SELECT value FROM meta WHERE name = ?');
    this.setMeta = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    // Superseded rows (a newer row of the same key at or below the compact revision) and
    // tombstones at or below it, within one id range.
    this.compactBatch = db.prepare(`
      DELETE FROM kv WHERE id > @from AND id <= @to AND (
        deleted = 1 OR EXISTS (SELECT 1 FROM kv n WHERE n.name = kv.name AND n.id > kv.id AND n.id <= @revision)
      )`);
  }

  /** Live keys at `revision` in key order, strictly after `after`. */
  list(prefix: string, end: string, after: string, revision: number, limit: number): KvRow[] {
    const sql = `
      SELECT ${latestColumns} FROM kv
      WHERE name >= ? ${end ? 'AND name < ?' : ''} AND name > ?
        AND id = (SELECT MAX(i.id) FROM kv i WHERE i.name = kv.name AND i.id <= ?)
        AND deleted = 0
      ORDER BY name LIMIT ?`;
    const args = end ? [prefix, end, after, revision, limit] : [prefix, after, revision, limit];
    return this.statement(sql).all(...args) as KvRow[];
  }

  /** Live keys at `revision`. */
  count(prefix: string, end: string, revision: number): number {
    const sql = `
      SELECT COUNT(*) AS n FROM kv
      WHERE name >= ? ${end ? 'AND name < ?' : ''}
        AND id = (SELECT MAX(i.id) FROM kv i WHERE i.name = kv.name AND i.id <= ?)
        AND deleted = 0`;
    const args = end ? [prefix, end, revision] : [prefix, revision];
    return (this.statement(sql).get(...args) as { n: number }).n;
  }

  /** Rows with after < id <= upTo under the prefix, joined with their previous row. */
  history(prefix: string, end: string, after: number, upTo: number, limit: number): HistoryRow[] {
    const sql = `
      SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.value,
             p.id AS p_id, p.create_revision AS p_create_revision, p.value AS p_value
      FROM kv k LEFT JOIN kv p ON p.id = k.prev_revision AND k.created = 0
      WHERE k.id > ? AND k.id <= ? ${prefix ? 'AND k.name >= ?' : ''} ${end ? 'AND k.name < ?' : ''}
      ORDER BY k.id LIMIT ?`;
    const args: unknown[] = [after, upTo];
    if (prefix) args.push(prefix);
    if (end) args.push(end);
    args.push(limit);
    return this.statement(sql).all(...args) as HistoryRow[];
  }

  private statement(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}
