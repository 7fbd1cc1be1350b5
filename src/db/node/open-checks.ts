/**
 * Opening rules for a database file, checked before and just after SQLite opens it, so that a
 * wrong `--db` ends in one clear line instead of a stack trace, and a read never creates or alters
 * anything: not the file, not its directory, not the tables of some other program's SQLite file.
 */
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { statSync } from 'node:fs';
import { GraspError } from '../../core/errors.ts';

export type OpenMode = 'read' | 'write';

/** Before opening: the path must be a file (or, for writes, absent); writes need a writable file. */
export function checkPathBeforeOpen(file: string, mode: OpenMode): void {
  let stat;
  try {
    stat = statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new GraspError('invalid', `cannot open ${file}: ${(err as Error).message}`);
    if (mode === 'read') throw new GraspError('not-found', `no database at ${file}: run \`grasp ingest <repo>\` first, or point --db / GRASP_DB at one`);
    return;
  }
  if (stat.isDirectory()) throw new GraspError('invalid', `${file} is a directory, not a database file (give --db a file)`);
  if (!stat.isFile()) throw new GraspError('invalid', `${file} is not a regular file`);
  // Mode bits, not access(2): root may write anything, but a file made read-only means "do not write".
  if (mode === 'write' && (stat.mode & 0o222) === 0) {
    throw new GraspError('invalid', `${file} is read-only; this command writes to the database (read commands still work)`);
  }
}

/** The SQLite error of the first statement, as one line: not a database, or unreadable. */
export function describeOpenFailure(file: string, err: unknown): GraspError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') return new GraspError('invalid', `${file} is not a SQLite database`, { cause: err });
  if (code.startsWith('SQLITE_READONLY')) return new GraspError('invalid', `${file} is read-only; this command writes to the database (read commands still work)`, { cause: err });
  if (code.startsWith('SQLITE_CANTOPEN')) return new GraspError('invalid', `cannot open ${file} (check the path and its permissions)`, { cause: err });
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new GraspError('invalid', `cannot open ${file}: ${message}`, { cause: err });
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

function hasTable(sqlite: Database.Database, name: string): boolean {
  return sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

/**
 * An existing file with tables but no grasp migrations belongs to another program: refuse it
 * rather than add our tables to it (for reads and writes alike).
 */
export function checkIsGraspDatabase(file: string, sqlite: Database.Database): void {
  if (hasTable(sqlite, MIGRATIONS_TABLE)) return;
  const tables = sqlite.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number };
  if (tables.n > 0) throw new GraspError('invalid', `${file} is a SQLite database of another program (it has no grasp tables); point --db at a grasp database`);
}

/** For reads (no migrations run): the file must already be at this grasp's schema. */
export function checkSchemaCurrent(file: string, sqlite: Database.Database, migrationsFolder: string): void {
  if (!hasTable(sqlite, MIGRATIONS_TABLE)) {
    throw new GraspError('not-found', `${file} holds no grasp data yet: run \`grasp ingest <repo>\` first`);
  }
  const wanted = readMigrationFiles({ migrationsFolder });
  // drizzle's own rule: a migration is applied when its journal time is not after the last applied one.
  const last = sqlite.prepare(`select max(created_at) as at from "${MIGRATIONS_TABLE}"`).get() as { at: number | null };
  const missing = wanted.filter((m) => m.folderMillis > Number(last.at ?? 0)).length;
  if (missing > 0) {
    throw new GraspError('conflict', `${file} is at an older grasp schema (${missing} migration${missing === 1 ? '' : 's'} missing): run a write command such as \`grasp ingest\` to upgrade it`);
  }
}
