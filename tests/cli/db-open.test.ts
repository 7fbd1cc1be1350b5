/**
 * `--db` opening rules through the real CLI: a wrong file ends in one line and a non-zero exit;
 * read commands never create a database or its directory, never touch another program's SQLite
 * file, and work on a read-only database.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory, GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { grasp, type Run } from './run-grasp.ts';

let repo: GitFixture;
let dir: string;
let db: string;

beforeAll(() => {
  repo = new GitFixture();
  buildHistory(repo, 12);
  dir = tempDir();
  db = join(dir, 'grasp.db');
  const r = grasp(['ingest', repo.dir, '--db', db, '--no-analyze']);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** One line on stderr, no stack trace, non-zero exit. */
function expectOneLineFailure(r: Run, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBe(70);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
  expect(r.stderr).toMatch(pattern);
}

const tablesOf = (file: string) => {
  const s = new Database(file, { readonly: true });
  try {
    return (s.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
  } finally {
    s.close();
  }
};

describe('--db at something that is not a grasp database', () => {
  it('a text file: one line, for reads and writes', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'just some notes, not a database\n'.repeat(20));
    expectOneLineFailure(grasp(['commits', '--db', file]), /not a SQLite database/);
    expectOneLineFailure(grasp(['engineer', 'add', 'ada', '--db', file]), /not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('just some notes, not a database\n'.repeat(20));
  });

  it('a directory: one line', () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expectOneLineFailure(grasp(['commits', '--db', sub]), /is a directory/);
    expectOneLineFailure(grasp(['engineer', 'add', 'ada', '--db', sub]), /is a directory/);
  });

  it("another program's SQLite file gets no grasp tables", () => {
    const file = join(dir, 'other.sqlite');
    const s = new Database(file);
    s.exec('create table notes (id integer primary key, body text); insert into notes (body) values (\'keep me\')');
    s.close();
    expectOneLineFailure(grasp(['commits', '--db', file]), /another program/);
    expectOneLineFailure(grasp(['engineer', 'add', 'ada', '--db', file]), /another program/);
    expect(tablesOf(file)).toEqual(['notes']);
  });
});

describe('read commands create nothing', () => {
  it.each([['commits'], ['report', 'ada'], ['marks', 'ada'], ['hotspots'], ['digest'], ['engineer', 'list'], ['token', 'list']])(
    'grasp %s on a missing database: one line, no file, no directory',
    (...args) => {
      const target = join(dir, 'nowhere', 'deeper', 'grasp.db');
      expectOneLineFailure(grasp([...args, '--db', target]), /no database at/);
      expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    },
  );

  it('an empty file stays empty (no tables added by a read)', () => {
    const file = join(dir, 'empty.db');
    writeFileSync(file, '');
    expectOneLineFailure(grasp(['commits', '--db', file]), /no grasp data yet/);
    expect(readFileSync(file).length).toBe(0);
  });
});

describe('a read-only database', () => {
  it('serves read commands and refuses writes with one line', () => {
    const copy = join(dir, 'read-only.db');
    copyFileSync(db, copy);
    chmodSync(copy, 0o444);
    const before = readFileSync(copy);
    const r = grasp(['commits', '--limit', '3', '--db', copy]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + 3); // header + 3 rows
    expect(grasp(['engineer', 'list', '--db', copy]).code).toBe(0);
    expectOneLineFailure(grasp(['engineer', 'add', 'ada', '--db', copy]), /read-only/);
    expect(readFileSync(copy).equals(before)).toBe(true);
    // A reader of a WAL database may leave SQLite's empty -wal/-shm beside it, never content.
    if (existsSync(`${copy}-wal`)) expect(readFileSync(`${copy}-wal`).length).toBe(0);
  });
});
