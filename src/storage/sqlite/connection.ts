/**
 * Opens a connection with the schema in place. Both threads call it: the writer thread
 * for its writing connection, the main thread for the connection it reads through.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { applySchema } from './schema.js';

export function openConnection(path: string, opts: { readOnly?: boolean } = {}): Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  try {
    applySchema(db);
    // The writer thread must stay the only writer; this turns a stray write into an error.
    if (opts.readOnly) db.pragma('query_only = ON');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
