import fc from 'fast-check';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveMarkStates, MARK_LEVELS } from '../../src/core/marks.ts';
import { addEngineer, type Engineer } from '../../src/db/repo/engineers.ts';
import { ensureMarkHeads, rebuildMarkHeads } from '../../src/db/repo/mark-heads.ts';
import { currentMarksForEngineer, marksForTarget } from '../../src/db/repo/marks.ts';
import { markHeads, marks, symbols } from '../../src/db/schema.ts';
import type { Store, RepoStore } from '../../src/db/store.ts';
import { openTempRepoStore, seedSymbol } from '../helpers/marks-seed.ts';

let store: RepoStore;
let engineersList: Engineer[];

beforeAll(async () => {
  store = openTempRepoStore();
  engineersList = [await addEngineer(store, { handle: 'ada' }), await addEngineer(store, { handle: 'bob' })];
  for (let i = 1; i <= 3; i++) await seedSymbol(store, { id: i, file: 'src/a.ts', name: `f${i}`, hash: `h${i}-0` });
});
afterAll(() => store.close());

/** Mark rows as another writer (GitHub sync, an import) would insert them: straight into the table. */
async function insertRaw(rows: { engineerId: number; symbolId: number; hash: string; level: (typeof MARK_LEVELS)[number]; createdAt: number }[]) {
  for (const r of rows) {
    await store.db.insert(marks).values({ repoId: 1, ...r, file: 'src/a.ts', name: `f${r.symbolId}`, source: 'github', target: 'pr:1' });
  }
}

describe('mark_heads', () => {
  it('sees rows inserted by other writers, and an older mark synced later does not win', async () => {
    const ada = engineersList[0]!;
    await insertRaw([{ engineerId: ada.id, symbolId: 1, hash: 'h1-0', level: 'reviewed', createdAt: 2000 }]);
    expect((await currentMarksForEngineer(store, ada)).map((m) => m.level)).toEqual(['reviewed']);
    await insertRaw([{ engineerId: ada.id, symbolId: 1, hash: 'h1-0', level: 'viewed', createdAt: 1000 }]);
    expect((await currentMarksForEngineer(store, ada)).map((m) => m.level)).toEqual(['reviewed']);
    await insertRaw([{ engineerId: ada.id, symbolId: 1, hash: 'h1-0', level: 'explained', createdAt: 2000 }]);
    // Same second: the later row wins.
    expect((await currentMarksForEngineer(store, ada)).map((m) => m.level)).toEqual(['explained']);
  });

  it('agrees with deriveMarkStates over the full history, for random histories and hash changes', async () => {
    const markArb = fc.record({
      engineer: fc.integer({ min: 0, max: 1 }),
      symbolId: fc.integer({ min: 1, max: 3 }),
      version: fc.integer({ min: 0, max: 2 }),
      level: fc.constantFrom(...MARK_LEVELS),
      createdAt: fc.integer({ min: 1000, max: 1010 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(markArb, { maxLength: 15 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), async (batch, versions) => {
        await insertRaw(batch.map((m) => ({ engineerId: engineersList[m.engineer]!.id, symbolId: m.symbolId, hash: `h${m.symbolId}-${m.version}`, level: m.level, createdAt: m.createdAt })));
        for (let i = 1; i <= 3; i++) await seedSymbol(store, { id: i, file: 'src/a.ts', name: `f${i}`, hash: `h${i}-${versions[i - 1]}` });

        const all = await store.db.select().from(marks);
        const current = (await store.db.select().from(symbols)).map((s) => ({ repoId: s.repoId, id: s.id, file: s.file, name: s.name, hash: s.hash }));
        const expected = deriveMarkStates(all, current)
          .map((s) => `${s.engineerId}/${s.symbol.name}/${s.stale}/${s.mark.level}/${s.mark.hash}`)
          .sort();
        const viaHeads: string[] = [];
        for (const e of engineersList) {
          for (const m of await currentMarksForEngineer(store, e)) viaHeads.push(`${e.id}/${m.symbol}/${m.stale}/${m.level}/${m.hash}`);
        }
        expect(viaHeads.sort()).toEqual(expected);
        const byTarget = await marksForTarget(store, 'src/a.ts');
        const idOf = (handle: string) => engineersList.find((e) => e.handle === handle)!.id;
        const targetStates = byTarget.items.flatMap((it) => it.marks.map((m) => `${idOf(m.engineer)}/${it.symbol}/${m.stale}/${m.level}/${m.hash}`));
        expect(targetStates.sort()).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('rebuilds from scratch to the same state', async () => {
    await ensureMarkHeads(store);
    const before = (await store.db.select().from(markHeads)).map((h) => `${h.key}/${h.engineerId}/${h.markId}`).sort();
    await rebuildMarkHeads(store);
    const after = (await store.db.select().from(markHeads)).map((h) => `${h.key}/${h.engineerId}/${h.markId}`).sort();
    expect(after).toEqual(before);
    expect((await store.db.select({ n: count() }).from(markHeads))[0]!.n).toBeGreaterThan(0);
  });

  it('folds concurrent reads once and loses nothing', async () => {
    const ada = engineersList[0]!;
    await insertRaw(Array.from({ length: 500 }, (_, i) => ({ engineerId: ada.id, symbolId: 2, hash: 'h2-9', level: 'viewed' as const, createdAt: 5000 + i })));
    const results = await Promise.all(Array.from({ length: 20 }, () => marksForTarget(store, 'src/a.ts#f2', { history: true })));
    for (const r of results) expect(r).toEqual(results[0]);
    const maxId = (await store.db.select({ n: count() }).from(marks))[0]!.n;
    const heads = await store.db.select().from(markHeads);
    expect(heads.find((h) => h.key === '1:h:h2-9' && h.engineerId === ada.id)?.markId).toBe(maxId);
  });
});
