/**
 * Brings symbol ids numbered before namespacing into their repository's range (src/core/symbol-ids.ts).
 * Databases as shipped hold one repository, repository 1, whose range is where ids always were:
 * nothing moves. Only a database that tracked a second repository before namespacing numbered
 * that one's symbols after the global maximum, inside repository 1's range; those ids move by the
 * repository's base (old ids are below 2^32, so each lands inside its own range, and no two land
 * on one id). Symbol changes and marks follow; mark heads are derived and rebuilt on read.
 * Idempotent: a second run finds nothing below any range.
 */
import { and, eq, gt, isNotNull, lt, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { SYMBOL_ID_SPAN } from '../../core/symbol-ids.ts';
import { markHeads, marks, meta, symbolChanges, symbols } from '../schema.ts';
import type { Store } from '../store.ts';
import { HEADS_META_KEY } from './mark-heads.ts';

const below = (id: SQLiteColumn, repoId: SQLiteColumn) =>
  and(gt(repoId, 1), lt(id, sql`(${repoId} - 1) * ${SYMBOL_ID_SPAN} + 1`));

/** Moves stray ids into their namespaces; returns how many symbols moved (0 almost always). */
export async function moveSymbolsIntoNamespaces(store: Store): Promise<number> {
  if (store.readOnly) return 0;
  const [stray] = await store.db.select({ n: sql<number>`count(*)` }).from(symbols).where(below(symbols.id, symbols.repoId));
  const moved = Number(stray?.n ?? 0);
  if (moved === 0) return 0;
  const shift = (column: SQLiteColumn, repoId: SQLiteColumn) => sql`${column} + (${repoId} - 1) * ${SYMBOL_ID_SPAN}`;
  await store.atomic([
    store.db.update(symbols).set({ id: shift(symbols.id, symbols.repoId) }).where(below(symbols.id, symbols.repoId)),
    store.db.update(symbolChanges).set({ symbolId: shift(symbolChanges.symbolId, symbolChanges.repoId) }).where(below(symbolChanges.symbolId, symbolChanges.repoId)),
    store.db
      .update(marks)
      .set({ symbolId: shift(marks.symbolId, marks.repoId) })
      .where(and(isNotNull(marks.symbolId), below(marks.symbolId, marks.repoId))),
    // 's:<symbolId>' keys named the old ids.
    store.db.delete(markHeads),
    store.db.delete(meta).where(eq(meta.key, HEADS_META_KEY)),
  ]);
  return moved;
}
