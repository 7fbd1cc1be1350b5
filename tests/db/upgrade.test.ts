/**
 * Upgrade in place: a database written before any later migration (0000_init plus the rows of a
 * committed fixture, including drizzle's record that 0000 ran) opens with this grasp, is brought
 * up to date by its migrations, and keeps every commit, symbol, engineer and mark.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listCommits } from '../../src/db/repo/commits.ts';
import { resolveAlias } from '../../src/db/repo/engineers.ts';
import { currentMarksForEngineer, markHistoryForEngineer } from '../../src/db/repo/marks.ts';
import { listRepoListings } from '../../src/db/repo/repos.ts';
import { getCurrentSymbols } from '../../src/db/repo/symbols.ts';
import { MIGRATIONS_DIR } from '../../src/db/node/open.ts';
import type { Store, RepoStore } from '../../src/db/store.ts';
import { tempDir } from '../helpers/git-fixture.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

const fixture = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'upgrade', '0000-database.sql'), 'utf8');
const fixtureRows = (table: string) => fixture.split('\n').filter((l) => l.startsWith(`INSERT INTO "${table}" `));

/** A database file exactly as grasp at migration 0000 left it. */
function oldDatabase(): string {
  const file = join(tempDir('grasp-upgrade-'), 'old.db');
  const db = new Database(file);
  for (const statement of readFileSync(join(MIGRATIONS_DIR, '0000_init.sql'), 'utf8').split('--> statement-breakpoint')) {
    if (statement.trim()) db.exec(statement);
  }
  // drizzle keeps its own bookkeeping table; the fixture holds its row, as a real database has it.
  db.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
  db.exec(fixture);
  db.close();
  return file;
}

let store: RepoStore | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe('a database written by an earlier grasp', () => {
  it('opens, is migrated, and keeps every commit and mark', async () => {
    const file = oldDatabase();
    store = openRepoStore(file);
    const commits = await listCommits(store);
    expect(commits.map((c) => c.subject).sort()).toEqual(['Add cache', 'Add slug', 'Trim slugs']);
    expect(commits).toHaveLength(fixtureRows('commits').length);
    expect(commits.find((c) => c.subject === 'Add slug')?.kind).toBe('agent');

    const ada = await resolveAlias(store, 'email', 'ada@example.com');
    const bob = await resolveAlias(store, 'email', 'bob@example.com');
    expect(ada?.handle).toBe('ada');
    expect(bob?.handle).toBe('bob');
    const history = [...(await markHistoryForEngineer(store, ada!.id)), ...(await markHistoryForEngineer(store, bob!.id))];
    expect(history).toHaveLength(fixtureRows('marks').length);
    expect(history.find((m) => m.origin === 'req-1')?.file).toBe('README.md');
    expect(history.find((m) => m.note === 'walked through it')?.level).toBe('explained');

    // The derived state is rebuilt from the rows: ada's review of slug is on its current version.
    const current = await currentMarksForEngineer(store, ada!);
    expect(current.find((m) => m.symbol === 'slug')).toMatchObject({ level: 'reviewed', stale: false });
    expect((await getCurrentSymbols(store)).map((s) => s.name).sort()).toEqual(['Cache', 'Cache.get', 'slug']);
  });

  it('becomes repository 1, named by its directory, with its head and every commit', async () => {
    store = openRepoStore(oldDatabase());
    const root = /'repo\.root', '([^']+)'/.exec(fixture)![1]!;
    const head = /'analysis\.head', '([0-9a-f]+)'/.exec(fixture)![1]!;
    expect(await listRepoListings(store)).toEqual([{ name: root.split('/').pop(), path: root, commits: 3, head }]);
  });

  it('opening it again changes nothing', async () => {
    const file = oldDatabase();
    openRepoStore(file).close();
    const count = (f: string, t: string) => {
      const db = new Database(f, { readonly: true });
      try {
        return (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = ['commits', 'marks', 'symbols', '__drizzle_migrations'].map((t) => count(file, t));
    openRepoStore(file).close();
    expect(['commits', 'marks', 'symbols', '__drizzle_migrations'].map((t) => count(file, t))).toEqual(before);
    expect(before[1]).toBe(fixtureRows('marks').length);
  });
});
