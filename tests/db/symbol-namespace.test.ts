/**
 * Symbol id namespaces (src/core/symbol-ids.ts) on both drivers: the range arithmetic, and the
 * one-time move of ids a database numbered before namespacing (a second repository numbered after
 * the global maximum, inside repository 1's range) into their repository's range, with their
 * symbol changes and marks, idempotently.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYMBOL_ID_SPAN, symbolIdAt, symbolIdBase, symbolIdOffset, symbolIdRange } from '../../src/core/symbol-ids.ts';
import { moveSymbolsIntoNamespaces } from '../../src/db/repo/symbol-namespace.ts';
import { upsertRepo } from '../../src/db/repo/repos.ts';
import { firstFreeSymbolId } from '../../src/db/repo/symbols.ts';
import { markHeads, marks, symbolChanges, symbols } from '../../src/db/schema.ts';
import { forRepo } from '../../src/db/store.ts';
import { DRIVERS, openTestStore, type TestStore } from '../helpers/d1.ts';

describe('symbol id namespaces', () => {
  it('repository 1 keeps the ids a one-repository database always had; each range is disjoint', () => {
    expect(symbolIdRange(1)).toEqual({ lo: 1, hi: SYMBOL_ID_SPAN - 1 });
    expect(symbolIdRange(2).lo).toBe(SYMBOL_ID_SPAN + 1);
    expect(symbolIdRange(1).hi).toBeLessThan(symbolIdRange(2).lo);
    expect(symbolIdOffset(3, symbolIdAt(3, 17))).toBe(17);
    expect(symbolIdBase(3) + 17).toBe(symbolIdAt(3, 17));
    expect(() => symbolIdOffset(2, 5)).toThrow(/outside repository 2/);
    expect(() => symbolIdAt(1, 0)).toThrow(/out of range/);
    expect(() => symbolIdBase(0)).toThrow();
    expect(Number.isSafeInteger(symbolIdRange(2 ** 21 - 1).hi)).toBe(true);
  });
});

const symbolRow = (repoId: number, id: number, name: string) => ({ id, repoId, file: 'src/a.ts', name, kind: 'function', hash: `h-${name}`, startLine: 1, endLine: 3 });

describe.each(DRIVERS)('moving ids numbered before namespacing, on %s', (driver) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(driver);
    await upsertRepo(store, { path: '/src/web', name: 'web', head: null });
    await upsertRepo(store, { path: '/src/api', name: 'api', head: null });
    // As a database of several repositories numbered them before: one global sequence.
    await store.atomic([
      store.db.insert(symbols).values([symbolRow(1, 1, 'a'), symbolRow(1, 2, 'b'), symbolRow(2, 3, 'c'), symbolRow(2, 4, 'd')]),
      store.db.insert(symbolChanges).values({ repoId: 2, sha: 's1', file: 'src/a.ts', name: 'c', symbolId: 3, kind: 'function', change: 'added', startLine: 1, endLine: 3 }),
      store.db.insert(marks).values([
        { engineerId: 1, repoId: 2, symbolId: 3, file: 'src/a.ts', name: 'c', hash: 'h-c', level: 'reviewed', source: 'cli', target: 'src/a.ts#c', createdAt: 1 },
        { engineerId: 1, repoId: 1, symbolId: 2, file: 'src/a.ts', name: 'b', hash: 'h-b', level: 'reviewed', source: 'cli', target: 'src/a.ts#b', createdAt: 1 },
        { engineerId: 1, repoId: 2, symbolId: null, file: 'README.md', name: '', hash: 'x', level: 'viewed', source: 'cli', target: 'README.md', createdAt: 1 },
      ]),
      store.db.insert(markHeads).values({ key: 's:3', engineerId: 1, markId: 1, createdAt: 1 }),
    ]);
  });
  afterAll(() => store?.dispose());

  it('moves the second repository into its range with its changes and marks, and leaves repository 1 alone', async () => {
    expect(await moveSymbolsIntoNamespaces(store)).toBe(2);
    const rows = await store.db.select({ id: symbols.id, repoId: symbols.repoId, name: symbols.name }).from(symbols).orderBy(symbols.id);
    const base = symbolIdBase(2);
    expect(rows).toEqual([
      { id: 1, repoId: 1, name: 'a' },
      { id: 2, repoId: 1, name: 'b' },
      { id: base + 3, repoId: 2, name: 'c' },
      { id: base + 4, repoId: 2, name: 'd' },
    ]);
    expect((await store.db.select({ id: symbolChanges.symbolId }).from(symbolChanges)).map((r) => r.id)).toEqual([base + 3]);
    const markRows = await store.db.select({ repoId: marks.repoId, symbolId: marks.symbolId }).from(marks).orderBy(marks.id);
    expect(markRows).toEqual([
      { repoId: 2, symbolId: base + 3 },
      { repoId: 1, symbolId: 2 },
      { repoId: 2, symbolId: null },
    ]);
    expect(await store.db.select().from(markHeads)).toEqual([]); // keyed by the old ids: rebuilt on read
    expect(await firstFreeSymbolId(forRepo(store, 2))).toBe(base + 5);
    expect(await firstFreeSymbolId(forRepo(store, 1))).toBe(3);
  });

  it('is idempotent', async () => {
    const before = await store.db.select().from(symbols).orderBy(symbols.id);
    expect(await moveSymbolsIntoNamespaces(store)).toBe(0);
    expect(await store.db.select().from(symbols).orderBy(symbols.id)).toEqual(before);
    expect(await store.db.select({ id: symbols.id }).from(symbols).where(eq(symbols.repoId, 2))).toHaveLength(2);
  });
});
