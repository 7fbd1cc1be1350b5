/**
 * Upgrade in place from the schema as shipped before repositories were first-class: a database
 * that grasp at migration 0003 wrote (tests/fixtures/upgrade/0003-database.sql, rows as that grasp
 * left them, drizzle's migration records included) opens with this grasp, is migrated, and keeps
 * every row: per-table counts, every mark on its symbol (same ids: repository 1's symbol id
 * namespace is where ids always were), tokens that still sign in, the repository registered with
 * its root and name. Then a second repository is ingested next to it without touching it.
 */
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { symbolIdRange } from '../../src/core/symbol-ids.ts';
import { MIGRATIONS_DIR, openNodeStore } from '../../src/db/node/open.ts';
import { resolveAlias } from '../../src/db/repo/engineers.ts';
import { searchExplanations } from '../../src/db/repo/explanations.ts';
import { currentMarksForEngineer } from '../../src/db/repo/marks.ts';
import { listRepoListings } from '../../src/db/repo/repos.ts';
import { authenticateToken } from '../../src/db/repo/tokens.ts';
import { forRepo, type Store } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, HUMAN } from '../helpers/git-fixture.ts';
import { tempDir } from '../helpers/git-fixture.ts';

const fixture = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'upgrade', '0003-database.sql'), 'utf8');
const insertRe = /^INSERT INTO "([^"]+)" \(([^)]*)\) VALUES /;
/** Rows of the fixture per table (each INSERT starts a line; values may span lines). */
const fixtureCounts = new Map<string, number>();
for (const line of fixture.split('\n')) {
  const m = insertRe.exec(line);
  if (m) fixtureCounts.set(m[1]!, (fixtureCounts.get(m[1]!) ?? 0) + 1);
}
/** Tokens the old grasp printed when the fixture was made (test credentials of a throwaway database). */
const ADMIN_TOKEN = 'grasp_pie3ZMtavSV7u6uszR608IcXB3TQHcfOD2A3FAgqScY';
const ADA_TOKEN = 'grasp_BGKKiqQC35ITGRi14WD-vVeRSYz44a2HyemWJU5RHcM';

/** A database file as grasp at migration 0003 left it. */
function oldDatabase(): string {
  const file = join(tempDir('grasp-upgrade-0003-'), 'old.db');
  const db = new Database(file);
  const shipped = readdirSync(MIGRATIONS_DIR).filter((f) => /^000[0-3]_.*\.sql$/.test(f)).sort();
  expect(shipped).toHaveLength(4);
  for (const name of shipped) {
    for (const statement of readFileSync(join(MIGRATIONS_DIR, name), 'utf8').split('--> statement-breakpoint')) {
      if (statement.trim()) db.exec(statement);
    }
  }
  // drizzle's own bookkeeping table, as its SQLite migrator creates it; the fixture holds its rows.
  db.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
  db.exec(fixture);
  db.close();
  return file;
}

function rawRows<T>(file: string, query: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}

let store: Store | null = null;
const fixtures: GitFixture[] = [];
afterEach(() => {
  store?.close();
  store = null;
  for (const f of fixtures.splice(0)) f.cleanup();
});

describe('a database written by grasp at migration 0003', () => {
  it('keeps every row of every table', () => {
    const file = oldDatabase();
    const before = rawRows<{ id: number; symbol_id: number | null; file: string; name: string }>(file, 'select id, symbol_id, file, name from marks order by id');
    openNodeStore(file).close();
    for (const [table, rows] of fixtureCounts) {
      if (table === '__drizzle_migrations' || table === 'meta') continue; // both grow by design
      const [{ n }] = rawRows<{ n: number }>(file, `select count(*) as n from "${table}"`) as [{ n: number }];
      expect(n, table).toBe(rows);
    }
    // The repository's own facts moved under its id (repo.root became repos.path): the next ingest goes on from the frontier.
    const meta = new Map(rawRows<{ key: string; value: string }>(file, 'select key, value from meta').map((r) => [r.key, r.value]));
    const oldMeta = [...fixture.matchAll(/^INSERT INTO "meta" \("key", "value"\) VALUES \('([^']+)', '([^']*)'\);$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(oldMeta.length).toBe(fixtureCounts.get('meta'));
    for (const [key, value] of oldMeta) if (key !== 'repo.root') expect(meta.get(`repo.1.${key}`), key).toBe(value);
    // One more migration record (0004 and anything later), the shipped ones untouched.
    const migrations = rawRows<{ hash: string }>(file, 'select hash from __drizzle_migrations order by created_at');
    expect(migrations.length).toBeGreaterThan(fixtureCounts.get('__drizzle_migrations')!);
    const shippedHashes = [...fixture.matchAll(/INSERT INTO "__drizzle_migrations" .* VALUES \(NULL, '([0-9a-f]+)'/g)].map((m) => m[1]);
    expect(migrations.slice(0, shippedHashes.length).map((m) => m.hash)).toEqual(shippedHashes);
    // Every history, analysis and PR row now belongs to repository 1, and every mark kept its symbol id.
    for (const table of ['commits', 'file_changes', 'symbols', 'symbol_changes', 'marks', 'pull_requests', 'reviews', 'review_comments', 'pr_files']) {
      expect(rawRows<{ r: number }>(file, `select distinct repo_id as r from "${table}"`), table).toEqual([{ r: 1 }]);
    }
    expect(rawRows(file, 'select id, symbol_id, file, name from marks order by id')).toEqual(before);
    const resolved = rawRows<{ id: number; ok: number }>(file, 'select m.id as id, s.file = m.file and s.name = m.name and s.repo_id = m.repo_id as ok from marks m join symbols s on s.id = m.symbol_id');
    expect(resolved).toHaveLength(before.filter((m) => m.symbol_id !== null).length);
    expect(resolved.every((r) => r.ok === 1)).toBe(true);
  });

  it('is registered as repository acme/shop at its root, with its head and commits', async () => {
    store = openNodeStore(oldDatabase());
    const root = /'repo\.root', '([^']+)'/.exec(fixture)![1]!;
    const head = /'analysis\.head', '([0-9a-f]+)'/.exec(fixture)![1]!;
    expect(await listRepoListings(store)).toEqual([{ name: 'acme/shop', path: root, commits: fixtureCounts.get('commits'), head }]);
  });

  it('answers for the people, their marks, explanations and tokens as before', async () => {
    store = openNodeStore(oldDatabase());
    const ada = (await resolveAlias(store, 'email', 'ada@shop.dev'))!;
    const bob = (await resolveAlias(store, 'login', 'bob-b'))!;
    expect([ada.handle, bob.handle]).toEqual(['ada', 'bob']);
    const adaMarks = await currentMarksForEngineer(store, ada);
    expect(adaMarks.find((m) => m.symbol === 'slug')).toMatchObject({ file: 'src/slug.ts', level: 'reviewed', stale: false, repoId: 1 });
    expect(adaMarks.find((m) => m.symbol === 'MAX_SLUG')).toMatchObject({ level: 'viewed', stale: false });
    const bobMarks = await currentMarksForEngineer(store, bob);
    expect(bobMarks.find((m) => m.symbol === 'Cart.total')).toMatchObject({ level: 'explained', note: expect.stringMatching(/positive prices/), stale: false });
    expect(bobMarks.find((m) => m.symbol === 'formatPrice')).toMatchObject({ level: 'reviewed', stale: false });
    expect((await searchExplanations(store, 'refund')).map((h) => h.name)).toEqual(['Cart.total']);
    expect(await authenticateToken(store, ADMIN_TOKEN)).toMatchObject({ ok: true, principal: { admin: true } });
    expect(await authenticateToken(store, ADA_TOKEN)).toMatchObject({ ok: true, principal: { engineer: { handle: 'ada' } } });
  });

  it('takes a second repository next to it, numbered in its own namespace, without touching the first', async () => {
    const file = oldDatabase();
    store = openNodeStore(file);
    const marksBefore = rawRows(file, 'select * from marks order by id');
    const symbolsBefore = rawRows(file, 'select * from symbols order by id');
    const api = new GitFixture();
    fixtures.push(api);
    api.write('src/server.ts', "export function route(path: string): string {\n  return path === '/' ? 'home' : 'missing';\n}\n").commit({ author: HUMAN, message: 'router' });
    const { repoId } = await ingestRepository(store, api.dir, { name: 'acme/api' });
    await analyzeRepository(forRepo(store, repoId), api.dir);
    expect(repoId).toBe(2);
    expect((await listRepoListings(store)).map((r) => [r.name, r.commits])).toEqual([
      ['acme/api', 1],
      ['acme/shop', fixtureCounts.get('commits')],
    ]);
    const added = rawRows<{ id: number }>(file, 'select id from symbols where repo_id = 2');
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((s) => s.id >= symbolIdRange(2).lo && s.id <= symbolIdRange(2).hi)).toBe(true);
    expect(rawRows(file, 'select * from marks order by id')).toEqual(marksBefore);
    expect(rawRows(file, 'select * from symbols where repo_id = 1 order by id')).toEqual(symbolsBefore);
  });
});
