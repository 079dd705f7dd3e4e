/**
 * The sqlite layout, after kine: one append-only table with a row per revision.
 * The row id is the revision; a key's live value is its newest row unless that row is a
 * tombstone (deleted = 1, value = the value before the delete).
 */
import type { Database } from 'better-sqlite3';

export function applySchema(db: Database): void {
  // First, so that every statement below waits out another connection's lock too.
  db.pragma('busy_timeout = 5000');
  // WAL lets reads proceed during commits; FULL syncs the WAL on every commit, so an
  // acknowledged write survives kill -9 and power loss.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS kv (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      created INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,
      value TEXT NOT NULL
    );
    -- NOTE: serves lookups by name as well (its prefix), so no separate name index is kept:
    -- every extra index is paid on each write.
    CREATE UNIQUE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
    CREATE TABLE IF NOT EXISTS meta (
      name TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    );
  `);
}

/** meta rows */
export const metaCompactRevision = 'compact_revision';
/** Highest revision whose superseded rows are already deleted (compaction resumes from here). */
export const metaCompactDone = 'compact_done';
