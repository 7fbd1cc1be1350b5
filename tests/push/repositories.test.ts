/**
 * Several repositories, several machines, one service: two local databases (one holding one
 * repository, the other two) push into one `grasp serve` and into one Worker on D1. Every
 * repository arrives whole (tables compared per repository, symbol ids as offsets in their
 * namespace), no symbol id collides, and a mark written on the service for one repository keeps
 * its symbol while another repository is pushed and while its own repository is re-pushed with
 * new commits. Re-pushing what the service has sends nothing; a push cut off in its second
 * repository resumes there.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { SYMBOL_ID_SPAN, symbolIdRange } from '../../src/core/symbol-ids.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { getRepoByName, listRepos } from '../../src/db/repo/repos.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { marks, meta, symbols } from '../../src/db/schema.ts';
import { forRepo, type Store } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { cursorKey, pushDatabase } from '../../src/push/client.ts';
import { openTestStore, writeFixtureHistory, type TestStore } from '../helpers/d1.ts';
import { GitFixture, HUMAN, HUMAN2 } from '../helpers/git-fixture.ts';
import { dumpContent, dumpRepository, startTarget, type PushTarget, type TargetKind } from '../helpers/push-targets.ts';

const CLAUDE = '\n\nCo-authored-by: Claude <noreply@anthropic.com>\n';

/** A second, unrelated history: an API server written half by Claude. */
function apiHistory(): GitFixture {
  const repo = new GitFixture();
  repo
    .write('src/server.ts', "export function route(path: string): string {\n  if (path === '/') return 'home';\n  return 'missing';\n}\n")
    .commit({ author: HUMAN2, message: 'router' });
  repo
    .write('src/db.ts', 'export class Pool {\n  size = 0;\n  take(): number {\n    return this.size > 0 ? --this.size : -1;\n  }\n}\n')
    .commit({ author: HUMAN, message: `connection pool${CLAUDE}` });
  repo.write('src/server.ts', "export function route(path: string): string {\n  if (path === '/') return 'home';\n  if (path === '/health') return 'ok';\n  return 'missing';\n}\n").commit({ author: HUMAN, message: `health route${CLAUDE}` });
  return repo;
}

async function ingest(store: Store, repo: GitFixture, name: string): Promise<number> {
  const { repoId } = await ingestRepository(store, repo.dir, { name });
  await analyzeRepository(forRepo(store, repoId), repo.dir);
  return repoId;
}

async function repoId(store: Store, name: string): Promise<number> {
  const row = await getRepoByName(store, name);
  if (!row) throw new Error(`no repository ${name}`);
  return row.id;
}

describe.each<TargetKind>(['node', 'worker'])('two databases, three repositories, one %s service', (kind) => {
  let one: TestStore; // acme/web
  let two: TestStore; // acme/api, acme/lib
  const fixtures: GitFixture[] = [];
  let web: GitFixture;
  let target: PushTarget;
  let markId = 0;
  const push = (store: Store) => pushDatabase(store, { url: target.url, token: target.adminToken, batchSize: 60 });
  /** The local repository and the service's repository of that name hold the same rows. */
  async function expectArrived(local: Store, name: string) {
    const service = await dumpRepository(target.store, await repoId(target.store, name));
    const here = await dumpRepository(local, await repoId(local, name));
    expect(here.commits!.length, name).toBeGreaterThan(0);
    expect(here.symbols!.length, name).toBeGreaterThan(0);
    for (const table of Object.keys(here)) expect(service[table], `${name} ${table}`).toEqual(here[table]);
  }

  beforeAll(async () => {
    one = await openTestStore('better-sqlite3');
    two = await openTestStore('better-sqlite3');
    web = writeFixtureHistory().repo;
    const api = apiHistory();
    const lib = writeFixtureHistory({ volume: 80 }).repo; // two history blocks, its own first commit
    fixtures.push(web, api, lib);
    await ingest(one, web, 'acme/web');
    await ingest(two, api, 'acme/api');
    await ingest(two, lib, 'acme/lib');
    target = await startTarget(kind);
  });
  afterAll(async () => {
    await target?.dispose();
    await one?.dispose();
    await two?.dispose();
    for (const f of fixtures) f.cleanup();
  });

  it('numbers each local repository in its own id namespace', async () => {
    const lib = await repoId(two, 'acme/lib');
    expect(lib).toBe(2);
    const ids = (await two.db.select({ id: symbols.id }).from(symbols).where(eq(symbols.repoId, lib))).map((r) => r.id);
    const { lo, hi } = symbolIdRange(lib);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id >= lo && id <= hi)).toBe(true);
    expect(Math.min(...ids)).toBe(SYMBOL_ID_SPAN + 1); // numbering starts at its range, not after repository 1
  });

  it('the first database pushes acme/web; a mark is written on the service', async () => {
    const summary = await push(one);
    expect(summary.repos.map((r) => r.name)).toEqual(['acme/web']);
    await expectArrived(one, 'acme/web');
    await addEngineer(target.store, { handle: 'ada', emails: [HUMAN.email] });
    const { token } = await createToken(target.store, { handle: 'ada' });
    const res = await fetch(`${target.url}/api/marks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'src/web/render.ts#renderPage', level: 'reviewed', repo: 'acme/web' }),
    });
    expect(res.status).toBe(201);
    const [mark] = await target.store.db.select().from(marks);
    expect(mark?.symbolId).not.toBeNull();
    markId = mark!.id;
  });

  /** The mark's symbol row: same repository, file and name as when it was written. */
  async function markedSymbol() {
    const [mark] = await target.store.db.select().from(marks).where(eq(marks.id, markId));
    const [row] = await target.store.db
      .select()
      .from(symbols)
      .where(and(eq(symbols.id, mark!.symbolId!), eq(symbols.repoId, mark!.repoId)));
    return { mark: mark!, symbol: row };
  }

  it('the second database pushes both of its repositories next to it; nothing collides and the mark keeps its symbol', async () => {
    const before = await markedSymbol();
    expect(before.symbol).toMatchObject({ file: 'src/web/render.ts', name: 'renderPage' });
    const summary = await push(two);
    expect(summary.repos.map((r) => r.name)).toEqual(['acme/api', 'acme/lib']);
    expect((await listRepos(target.store)).map((r) => r.name)).toEqual(['acme/api', 'acme/lib', 'acme/web']);
    // The service numbered them after acme/web: its ids differ from the local ones.
    expect(await repoId(target.store, 'acme/lib')).not.toBe(await repoId(two, 'acme/lib'));
    await expectArrived(one, 'acme/web');
    await expectArrived(two, 'acme/api');
    await expectArrived(two, 'acme/lib');
    // Content rows are shared: the service holds exactly the union of both databases'.
    const [a, b, service] = [await dumpContent(one), await dumpContent(two), await dumpContent(target.store)];
    for (const table of ['symbol_texts', 'blob_analyses', 'blob_texts']) expect(service[table], table).toEqual([...new Set([...a[table]!, ...b[table]!])].sort());
    // blob_lines is keyed by blob alone but holds one repository's blame (commit shas): a blob two
    // repositories share keeps the first one's (schema as shipped by 0004, same in one local
    // database). Every blob arrives; the rows of blobs only one repository has arrive exactly.
    const blobOf = (row: string) => (JSON.parse(row) as string[])[0]!;
    const blobsOf = (rows: string[]) => new Set(rows.map(blobOf));
    const [aBlobs, bBlobs] = [blobsOf(a.blob_lines!), blobsOf(b.blob_lines!)];
    expect([...blobsOf(service.blob_lines!)].sort()).toEqual([...new Set([...aBlobs, ...bBlobs])].sort());
    const onlyOne = [...a.blob_lines!.filter((r) => !bBlobs.has(blobOf(r))), ...b.blob_lines!.filter((r) => !aBlobs.has(blobOf(r)))];
    expect(onlyOne.length).toBeGreaterThan(0);
    expect(service.blob_lines!.filter((r) => !(aBlobs.has(blobOf(r)) && bBlobs.has(blobOf(r)))).sort()).toEqual(onlyOne.sort());

    const local = (await one.db.select().from(symbols)).length + (await two.db.select().from(symbols)).length;
    const all = await target.store.db.select({ id: symbols.id, repoId: symbols.repoId }).from(symbols);
    expect(all).toHaveLength(local); // nothing overwrote anything
    expect(all.every((s) => s.id >= symbolIdRange(s.repoId).lo && s.id <= symbolIdRange(s.repoId).hi)).toBe(true);
    expect((await markedSymbol()).symbol).toEqual(before.symbol);
  });

  it('pushing again sends nothing, from either database', async () => {
    for (const store of [one, two]) {
      const again = await push(store);
      expect(again).toMatchObject({ batches: 0, rows: {}, incremental: true });
      expect(again.blocks.sent).toBe(0);
    }
  });

  it('acme/web re-pushed with new commits: only its blocks go, and the mark still resolves to the same symbol', async () => {
    const before = await markedSymbol();
    web.write('src/extra.ts', 'export const extra = (n: number) => n + 1;\n').commit({ author: HUMAN, message: `extra${CLAUDE}` });
    web.write('src/config.ts', 'export function parseConfig(text: string): string[] {\n  return text.split("\\n");\n}\n').commit({ author: HUMAN, message: 'simpler config' });
    await ingest(one, web, 'acme/web');
    const summary = await push(one);
    expect(summary.repos).toHaveLength(1);
    expect(summary.rows.commits).toBe(7);
    await expectArrived(one, 'acme/web');
    await expectArrived(two, 'acme/lib');
    const after = await markedSymbol();
    expect(after.symbol).toEqual(before.symbol); // render.ts did not change: same id, same version
    // And over the service's own API the review is current, on acme/web's renderPage.
    const res = await fetch(`${target.url}/api/engineers/ada/marks`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { marks: { symbol: string; symbolId: number; stale: boolean }[] };
    expect(body.marks.find((m) => m.symbol === 'renderPage')).toMatchObject({ stale: false, symbolId: before.symbol!.id });
  });

  it('refuses, before sending anything, another history pushed under a name the service holds', async () => {
    const other = await openTestStore('better-sqlite3');
    const impostor = writeFixtureHistory({ volume: 3 }).repo; // another first commit
    try {
      await ingest(other, impostor, 'acme/web');
      const posts: string[] = [];
      const recording: typeof fetch = async (input, init) => {
        if (init?.method === 'POST') posts.push(String(input));
        return fetch(input, init);
      };
      await expect(pushDatabase(other, { url: target.url, token: target.adminToken, fetch: recording })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/repository acme\/web holds another history/),
      });
      expect(posts).toEqual([]);
    } finally {
      await other.dispose();
      impostor.cleanup();
    }
  });
});

describe.each<TargetKind>(['node', 'worker'])('a push of two repositories cut off in the second, into %s', (kind) => {
  let local: TestStore;
  let target: PushTarget;
  const fixtures: GitFixture[] = [];
  beforeAll(async () => {
    local = await openTestStore('better-sqlite3');
    const api = apiHistory();
    const lib = writeFixtureHistory({ volume: 80 }).repo;
    fixtures.push(api, lib);
    await ingest(local, api, 'acme/api');
    await ingest(local, lib, 'acme/lib');
    target = await startTarget(kind);
  });
  afterAll(async () => {
    await target?.dispose();
    await local?.dispose();
    for (const f of fixtures) f.cleanup();
  });

  it('resumes in the repository it was in: the first is not sent again, the second only what was not acknowledged', async () => {
    let libAcked = 0;
    let libRows = 0;
    const rowsOf = (body: string) => (JSON.parse(body) as { parts: { tables: Record<string, unknown[]> }[] }).parts.reduce((n, p) => n + Object.values(p.tables).reduce((m, rows) => m + rows.length, 0), 0);
    const cutting: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const lib = init?.method === 'POST' && body.includes('"repo":"acme/lib"');
      if (lib && libAcked >= 2) throw new TypeError('connection reset');
      const res = await fetch(input, init);
      if (lib && res.ok) {
        libAcked++;
        libRows += rowsOf(body);
      }
      return res;
    };
    const opts = { url: target.url, token: target.adminToken, batchSize: 60, retryDelayMs: 1 };
    await expect(pushDatabase(local, { ...opts, fetch: cutting })).rejects.toThrow(/connection reset/);
    expect(libAcked).toBe(2);

    const resumed = await pushDatabase(local, opts);
    const [api, lib] = resumed.repos;
    expect(api).toMatchObject({ name: 'acme/api', batches: 0, rows: {} });
    expect(lib).toMatchObject({ name: 'acme/lib', incremental: true });
    const sum = (rows: Record<string, number | undefined>) => Object.values(rows).reduce<number>((a, b) => a + (b ?? 0), 0);
    for (const name of ['acme/api', 'acme/lib']) {
      const here = await dumpRepository(local, await repoId(local, name));
      const there = await dumpRepository(target.store, await repoId(target.store, name));
      expect(there, name).toEqual(here);
    }
    // A full re-push of acme/lib sends exactly what the cut-off push and the resumed one sent together.
    await local.db.delete(meta).where(eq(meta.key, cursorKey(target.url, await repoId(local, 'acme/lib'))));
    const full = await pushDatabase(local, opts);
    expect(full.repos.map((r) => r.batches)).toEqual([0, expect.any(Number)]);
    expect(sum(lib!.rows) + libRows).toBe(sum(full.repos[1]!.rows));
  });
});
