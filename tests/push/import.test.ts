/**
 * The service side of `grasp push` (POST /api/import) on both drivers: access control, every
 * kind of bad batch refused with a clear error and nothing written, a batch that breaks a
 * constraint refused whole, the client's statement count equal to what the service runs, and
 * block replacement (rows gone locally disappear on the service).
 */
import { eq, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import * as schema from '../../src/db/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/db/repo/tokens.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createApp } from '../../src/http/app.ts';
import type { ImportDeps } from '../../src/http/routes/import.ts';
import { DEFAULT_IMPORT_LIMITS, importBatch, importStatus } from '../../src/db/repo/push-import.ts';
import { setMeta, getMeta } from '../../src/db/repo/commits.ts';
import { listRepos, upsertRepo } from '../../src/db/repo/repos.ts';
import { symbolIdAt } from '../../src/core/symbol-ids.ts';
import { marks, symbols as symbolsTable } from '../../src/db/schema.ts';
import { batchStatements, columnKeys, SERVICE_TABLES, WIRE_TABLES, type WireBatch, type WirePart } from '../../src/db/push-wire.ts';
import { DRIVERS, openTestStore, type TestStore } from '../helpers/d1.ts';
import { rowCounts } from '../helpers/push-targets.ts';

const sha = (i: number) => i.toString(16).padStart(40, '0');
const commitRow = (seq: number, s = sha(seq)) => [s, seq, '[]', 'Ada', 'ada@example.com', 1_700_000_000 + seq, 'Ada', 'ada@example.com', 1_700_000_000 + seq, `c${seq}`, `c${seq}`, null, '[]', 'human', null, 1, '[]', 0];
const fileRow = (s: string, idx: number) => [s, idx, `src/f${idx}.ts`, null, 'A', null, 1, 0, false, null, `blob${idx}`, '1', '', false];
const symbolRow = (id: number, file = `src/s${id}.ts`) => [id, file, `f${id}`, 'function', true, `hash${id}`, 1, 3, true, 1, 0, 3, '[]', null, 1];
const batch = (parts: WirePart[], extra: Partial<WireBatch> = {}): WireBatch => ({ version: 2, generation: 'generation-1', origin: null, repo: 'acme/web', parts, ...extra });
const LIMITS = { maxStatements: 5000, maxBytes: 1 << 20 };

describe('wire rows follow the schema', () => {
  it('every table of the schema is either pushed or deliberately kept on the service', () => {
    const tables = Object.values(schema)
      .filter((v) => is(v, SQLiteTable))
      .map((t) => getTableName(t as SQLiteTable))
      .sort();
    expect([...Object.keys(WIRE_TABLES), ...SERVICE_TABLES].sort()).toEqual(tables);
  });

  it('commit, file change and symbol rows used here match the drizzle column counts', () => {
    expect(commitRow(1)).toHaveLength(columnKeys(WIRE_TABLES.commits).length);
    expect(fileRow('x', 0)).toHaveLength(columnKeys(WIRE_TABLES.file_changes).length);
    expect(symbolRow(1)).toHaveLength(columnKeys(WIRE_TABLES.symbols).length);
  });
});

describe.each(DRIVERS)('importBatch on %s', (driver) => {
  let store: TestStore;
  beforeAll(async () => (store = await openTestStore(driver)));
  afterAll(() => store?.dispose());

  it('runs exactly the statements the client planned for (any mix of rows)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 }), async (commits, files, symbols) => {
        const rows = Array.from({ length: commits }, (_, i) => commitRow(i + 1));
        const b = batch([
          { block: 'h:0', replace: true, tables: { commits: rows, file_changes: Array.from({ length: files }, (_, i) => fileRow(sha(1), i)) } },
          { block: 's:0', replace: true, tables: { symbols: Array.from({ length: symbols }, (_, i) => symbolRow(i + 1)) } },
        ]);
        const result = await importBatch(store, b, LIMITS);
        expect(result.statements).toBe(batchStatements(b, store.maxParams));
        expect((await rowCounts(store)).commits).toBe(commits);
      }),
      { numRuns: driver === 'd1' ? 8 : 40 },
    );
  });

  it('replacing a block drops rows that are gone locally, and leaves other blocks alone', async () => {
    await importBatch(store, batch([{ block: 'h:0', replace: true, tables: { commits: [commitRow(1), commitRow(2)], file_changes: [fileRow(sha(1), 0), fileRow(sha(2), 1)] } }, { block: 'h:1', replace: true, tables: { commits: [commitRow(65)] } }]), LIMITS);
    await importBatch(store, batch([{ block: 'h:0', replace: true, tables: { commits: [commitRow(1)], file_changes: [fileRow(sha(1), 0)] } }]), LIMITS);
    const counts = await rowCounts(store);
    expect(counts.commits).toBe(2); // seq 1 and 65
    expect(counts.file_changes).toBe(1);
    await importBatch(store, batch([], { ends: { h: 65 } }), LIMITS);
    expect((await rowCounts(store)).commits).toBe(1);
  });

  it('refuses bad batches with a clear error and writes nothing', async () => {
    const before = await rowCounts(store);
    const cases: [unknown, RegExp][] = [
      [{ ...batch([]), version: 1 }, /version/],
      [batch([{ block: 's:0', replace: true, tables: { symbols: [symbolRow(0)] } }]), /symbol id offset 0 must lie in/],
      [batch([], { repo: '' }), /repo/],
      [batch([{ block: 'x:1', replace: true, tables: {} }]), /block must look like/],
      [batch([{ block: 'h:0', replace: true, tables: { commits: [commitRow(1).slice(0, 5)] } }]), /parts\.0\.tables\.commits\.0/],
      [batch([{ block: 'h:0', replace: true, tables: { commits: [[...commitRow(1).slice(0, 13), 'robot', ...commitRow(1).slice(14)]] } }]), /commits\.0\.13/],
      [batch([{ block: 'h:0', replace: true, tables: { commits: [commitRow(70)] } }]), /outside the block \(1-64\)/],
      [batch([{ block: 's:0', replace: true, tables: { commits: [commitRow(1)] } }]), /cannot carry commits/],
      [batch([{ block: 'h:0', replace: true, tables: { marks: [[1]] } as never }]), /Unrecognized key|marks/],
      [batch([], { origin: 'not-a-sha' }), /origin must be a commit sha/],
      [batch([{ block: 's:0', replace: false, tables: { symbols: [symbolRow(1, 'x'.repeat(700_000))] } }]), /too big|600000|row larger/i],
    ];
    for (const [input, message] of cases) {
      const err = await importBatch(store, input, LIMITS).catch((e: unknown) => e as Error & { code?: string });
      expect(err, String(message)).toMatchObject({ code: 'invalid' });
      expect((err as Error).message).toMatch(message);
    }
    expect(await rowCounts(store)).toEqual(before);
  });

  it('refuses a batch that breaks a constraint as a whole (atomic)', async () => {
    const before = await rowCounts(store);
    const clash = batch([{ block: 'h:0', replace: true, tables: { commits: [commitRow(3), commitRow(3, sha(999))], file_changes: [fileRow(sha(3), 0)] } }]);
    const err = await importBatch(store, clash, LIMITS).catch((e: unknown) => e as Error & { code?: string });
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toMatch(/nothing written: UNIQUE constraint failed: commits.repo_id, commits.seq/);
    expect(await rowCounts(store)).toEqual(before); // the range delete of this batch was rolled back too
  });

  it('refuses another history under a pushed name, or a reset service', async () => {
    await importBatch(store, batch([], { origin: sha(1) }), LIMITS);
    await expect(importBatch(store, batch([], { origin: sha(2) }), LIMITS)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/repository acme\/web holds another history/) });
    // The same history is accepted again, and another name is another repository.
    await importBatch(store, batch([], { origin: sha(1) }), LIMITS);
    await importBatch(store, batch([], { origin: sha(2), repo: 'acme/api' }), LIMITS);
    await expect(importBatch(store, batch([], { generation: 'generation-2' }), LIMITS)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/reset or is fed from another database/) });
  });

  it('refuses a batch over the statement budget before writing', async () => {
    const big = batch([{ block: 'h:0', replace: true, tables: { commits: Array.from({ length: 64 }, (_, i) => commitRow(i + 1)) } }]);
    await expect(importBatch(store, big, { ...LIMITS, maxStatements: 5 })).rejects.toMatchObject({ code: 'too-large' });
  });
});

describe('POST /api/import over HTTP', () => {
  let store: TestStore;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let engineer: string;
  beforeAll(async () => {
    store = await openTestStore('better-sqlite3');
    const deps: ImportDeps = { store, importLimits: { maxBytes: 4096 } };
    app = createApp(deps);
    admin = (await createToken(store, { admin: true })).token;
    await addEngineer(store, { handle: 'ada' });
    engineer = (await createToken(store, { handle: 'ada' })).token;
  });
  afterAll(() => store?.dispose());

  const post = (body: string, token?: string) =>
    app.request('/api/import', { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });

  it('needs an admin token', async () => {
    const body = JSON.stringify(batch([]));
    expect((await post(body)).status).toBe(401);
    expect((await post(body, engineer)).status).toBe(403);
    expect((await app.request('/api/import', { headers: { Authorization: `Bearer ${engineer}` } })).status).toBe(403);
    expect((await post(body, admin)).status).toBe(200);
  });

  it('answers bad JSON with 400, an oversized body with 413, both in the API error shape', async () => {
    const bad = await post('{"version":', admin);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid', message: 'import body must be JSON' } });
    const huge = await post(JSON.stringify(batch([{ block: 'h:0', replace: true, tables: { commits: Array.from({ length: 40 }, (_, i) => commitRow(i + 1)) } }])), admin);
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('too-large');
  });

  it('reports what it holds and its limits', async () => {
    const res = await app.request('/api/import', { headers: { Authorization: `Bearer ${admin}` } });
    expect(await res.json()).toMatchObject({ version: 2, generation: 'generation-1', repos: [{ name: 'acme/web', origin: null }], maxParams: 30000, maxBytes: 4096, blockSize: { h: 64, s: 256, p: 64 } });
  });
});

describe.each(DRIVERS)('a service written by a one-repository grasp, on %s', (driver) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(driver);
    // What an older service holds after the upgrade: repository 1, a global origin, symbols and a mark.
    await upsertRepo(store, { path: 'push:pushed', name: 'pushed', head: null });
    await setMeta(store, 'push.origin', sha(1));
    await importBatch(store, batch([{ block: 's:0', replace: true, tables: { symbols: [symbolRow(5)] } }], { repo: 'pushed' }), LIMITS);
    await store.atomic([store.db.insert(marks).values({ engineerId: 1, repoId: 1, symbolId: 5, file: 'src/s5.ts', name: 'f5', hash: 'hash5', level: 'reviewed', source: 'api', target: 'src/s5.ts#f5', createdAt: 1 })]);
  });
  afterAll(() => store?.dispose());

  it('has its repository adopted by the first push of the same history, under the pushed name, marks kept', async () => {
    await importBatch(store, batch([{ block: 's:0', replace: true, tables: { symbols: [symbolRow(5), symbolRow(6)] } }], { origin: sha(1) }), LIMITS);
    expect((await listRepos(store)).map((r) => [r.id, r.name])).toEqual([[1, 'acme/web']]);
    expect(await getMeta(store, 'push.origin')).toBeNull();
    expect((await importStatus(store, DEFAULT_IMPORT_LIMITS)).repos).toEqual([{ name: 'acme/web', origin: sha(1) }]);
    const [mark] = await store.db.select().from(marks);
    const [marked] = await store.db.select().from(symbolsTable).where(eq(symbolsTable.id, mark!.symbolId!));
    expect(marked).toMatchObject({ repoId: 1, file: 'src/s5.ts', name: 'f5' });
  });

  it('registers another history under its own name, numbered in that repository\'s namespace', async () => {
    await importBatch(store, batch([{ block: 's:0', replace: true, tables: { symbols: [symbolRow(5)] } }], { origin: sha(2), repo: 'acme/api' }), LIMITS);
    const api = (await listRepos(store)).find((r) => r.name === 'acme/api')!;
    expect(api.id).toBe(2);
    const rows = await store.db.select({ id: symbolsTable.id, repoId: symbolsTable.repoId }).from(symbolsTable).orderBy(symbolsTable.id);
    expect(rows).toEqual([
      { id: 5, repoId: 1 },
      { id: 6, repoId: 1 },
      { id: symbolIdAt(2, 5), repoId: 2 },
    ]);
  });
});
