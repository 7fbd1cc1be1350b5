/**
 * `grasp push` end to end over HTTP, into `grasp serve` (better-sqlite3) and into the bundled
 * Worker on D1 in local workerd: a real repository ingested and analyzed locally, pushed, then
 * the service's tables and the engineer report compared with the local ones; pushing again sends
 * nothing; a forced full re-push changes nothing; new commits send only what changed.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { addEngineer, getEngineer } from '../../src/db/repo/engineers.ts';
import { getSymbolOrThrow } from '../../src/db/repo/symbols.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { meta } from '../../src/db/schema.ts';
import type { RepoStore } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { cursorKey, pushDatabase } from '../../src/push/client.ts';
import { WIRE_TABLES, type WireTable } from '../../src/db/push-wire.ts';
import { buildEngineerReport } from '../../src/report/engineer-report.ts';
import { buildAnalyzedRepo, openTestStore, type TestStore } from '../helpers/d1.ts';
import { firstRepo } from '../helpers/repo-store.ts';
import { HUMAN, type GitFixture } from '../helpers/git-fixture.ts';
import { dumpTable, rowCounts, startTarget, type PushTarget, type TargetKind } from '../helpers/push-targets.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const TABLES = Object.keys(WIRE_TABLES) as WireTable[];

async function expectSameTables(source: RepoStore, target: RepoStore) {
  for (const name of TABLES) expect(await dumpTable(target, name), name).toEqual(await dumpTable(source, name));
}

async function markTheSame(stores: RepoStore[]) {
  for (const store of stores) {
    const ada = await getEngineer(store, 'ada');
    await recordMarks(store, { engineer: ada, target: 'src/web/render.ts#renderPage', level: 'reviewed', source: 'cli', now: NOW - 3_600_000 });
    await recordMarks(store, { engineer: ada, target: 'src/config.ts', level: 'viewed', source: 'cli', now: NOW - 3_600_000 });
  }
}

describe('grasp push to a Worker with a small D1 query budget', () => {
  it('packs every batch within the budget (the service never has to refuse one)', async () => {
    const source = await openTestStore('better-sqlite3');
    const { repo } = await buildAnalyzedRepo(source);
    const target = await startTarget('worker', { maxQueries: 30 });
    const statuses: number[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    try {
      const summary = await pushDatabase(source, { url: target.url, token: target.adminToken, fetch: recording });
      expect(summary.batches).toBeGreaterThan(2); // 20 statements per batch (10 after reserves) force several
      expect(statuses.every((s) => s === 200)).toBe(true);
      await expectSameTables(source, firstRepo(target.store));
    } finally {
      await target.dispose();
      await source.dispose();
      repo.cleanup();
    }
  });
});

describe.each<TargetKind>(['node', 'worker'])('grasp push into %s', (kind) => {
  let source: TestStore;
  let repo: GitFixture;
  let target: PushTarget;
  const push = (extra: Partial<Parameters<typeof pushDatabase>[1]> = {}) =>
    pushDatabase(source, { url: target.url, token: target.adminToken, batchSize: 40, ...extra });

  beforeAll(async () => {
    source = await openTestStore('better-sqlite3');
    ({ repo } = await buildAnalyzedRepo(source));
    await addEngineer(source, { handle: 'ada', name: 'Ada', emails: [HUMAN.email] });
    await addEngineer(source, { handle: 'bob', emails: ['bob@example.com'] });
    target = await startTarget(kind);
  });
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
    repo?.cleanup();
  });

  it('pushes every history, analysis and content row, and the engineers', async () => {
    const counts = await rowCounts(source);
    expect(counts.commits).toBe(5);
    expect(counts.symbol_changes).toBeGreaterThan(3);
    expect(counts.symbols).toBeGreaterThan(3);
    expect(counts.ai_lines).toBe(1);
    const summary = await push({ engineers: true });
    expect(summary.incremental).toBe(false);
    expect(summary.batches).toBeGreaterThan(1); // 40 rows per batch
    expect(summary.engineers).toEqual({ created: ['ada', 'bob'], updated: [], skipped: [] });
    const pushed = Object.values(summary.rows).reduce((a, b) => a + (b ?? 0), 0);
    expect(pushed).toBe(TABLES.reduce((n, t) => n + counts[t]!, 0));
    await expectSameTables(source, firstRepo(target.store));
  });

  it('serves the same engineer report as the local database', async () => {
    await markTheSame([source, firstRepo(target.store)]);
    const local = await buildEngineerReport(source, 'ada', { now: NOW });
    const remote = await buildEngineerReport(target.store, 'ada', { now: NOW });
    expect(local.items.length).toBeGreaterThan(0);
    expect(remote).toEqual(local);
    // And over HTTP from the service itself (its own clock: only generatedAt may differ).
    const res = await fetch(`${target.url}/api/engineers/ada/report`);
    expect(res.status).toBe(200);
    const viaHttp = (await res.json()) as typeof local;
    const here = await buildEngineerReport(source, 'ada');
    expect({ ...viaHttp, generatedAt: '' }).toEqual({ ...here, generatedAt: '' });
  });

  it('sends nothing when nothing changed, and a forced full re-push changes nothing', async () => {
    const before = await rowCounts(target.store);
    const again = await push({ engineers: true });
    expect(again).toMatchObject({ incremental: true, batches: 0, rows: {} });
    expect(again.blocks.sent).toBe(0);
    expect(again.engineers).toEqual({ created: [], updated: [], skipped: [] });
    await source.db.delete(meta).where(eq(meta.key, cursorKey(target.url, 1)));
    const full = await push();
    expect(full.incremental).toBe(false);
    expect(full.blocks.sent).toBe(full.blocks.total);
    expect(await rowCounts(target.store)).toEqual(before);
    await expectSameTables(source, firstRepo(target.store));
  });

  it('after new commits, sends only the blocks that changed', async () => {
    repo.write('src/web/render.ts', "export function renderPage(title: string): string {\n  return '<h1>' + title + '</h1>';\n}\n").commit({ message: 'simplify render\n\nCo-authored-by: Claude <noreply@anthropic.com>\n' });
    repo.write('src/extra.ts', 'export const extra = (n: number) => n + 1;\n').commit();
    await ingestRepository(source, repo.dir);
    await analyzeRepository(source, repo.dir);
    const next = await push();
    expect(next.incremental).toBe(true);
    // One history block (seq 1-64) and one symbols block (ids 0-255) hold everything here.
    expect(next.blocks.sent).toBe(2);
    expect(next.rows.commits).toBe(7);
    await expectSameTables(source, firstRepo(target.store));
    const local = await buildEngineerReport(source, 'ada', { now: NOW });
    expect(await buildEngineerReport(target.store, 'ada', { now: NOW })).toEqual(local);
  });

  it('engineers mark pushed symbols through the service API; a later push makes the mark stale, with the diff', async () => {
    const { token } = await createToken(target.store, { handle: 'bob' });
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const res = await fetch(`${target.url}/api/marks`, { method: 'POST', headers: auth, body: JSON.stringify({ target: 'src/extra.ts#extra', level: 'reviewed' }) });
    expect(res.status).toBe(201);
    const local = await getSymbolOrThrow(source, 'src/extra.ts', 'extra');
    expect(((await res.json()) as { marks: { hash: string }[] }).marks.map((m) => m.hash)).toEqual([local.hash]);
    repo.write('src/extra.ts', 'export const extra = (n: number) => n + 2;\n').commit();
    await ingestRepository(source, repo.dir);
    await analyzeRepository(source, repo.dir);
    await push();
    const stale = (await (await fetch(`${target.url}/api/engineers/bob/stale`)).json()) as { marks: { symbol: string; diff: string | null }[] };
    expect(stale.marks.map((m) => m.symbol)).toEqual(['extra']);
    expect(stale.marks[0]!.diff).toMatch(/^-export const extra = \(n: number\) => n \+ 1;$/m);
    expect(stale.marks[0]!.diff).toMatch(/^\+export const extra = \(n: number\) => n \+ 2;$/m);
  });
});
