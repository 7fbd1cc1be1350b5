/**
 * Reads a mark write needs before it appends rows: what an Idempotency-Key already stored, and
 * the engineer's latest word on each covered item (a write that repeats it changes nothing).
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { marks } from '../schema.ts';
import { chunk, type RepoStore } from '../store.ts';
import type { MarkRow } from './mark-heads.ts';

/** Rows an engineer wrote under this idempotency key (origin), oldest first. */
export async function marksWithOrigin(store: RepoStore, engineerId: number, origin: string): Promise<MarkRow[]> {
  return store.db
    .select()
    .from(marks)
    .where(and(eq(marks.engineerId, engineerId), eq(marks.repoId, store.repoId), eq(marks.origin, origin)))
    .orderBy(marks.id);
}

export interface ItemRef {
  symbolId: number | null;
  file: string;
  name: string;
  hash: string;
}

/** Key of an item for "the latest mark on it": its symbol id, else (file granularity) its file. */
export const itemKey = (i: { symbolId: number | null; file: string; name: string }): string =>
  i.symbolId !== null ? `s:${i.symbolId}` : `f:${i.file}\u0000${i.name}`;

const later = (a: MarkRow, b: MarkRow) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

/**
 * The engineer's latest mark on each item (by symbol id, or file for symbol-less files), found
 * through the marks_symbol and marks_file indexes. Keyed by `itemKey`.
 */
export async function latestOwnMarks(store: RepoStore, engineerId: number, items: readonly ItemRef[]): Promise<Map<string, MarkRow>> {
  const out = new Map<string, MarkRow>();
  // Two lists per statement: keep each under half the parameter budget.
  const size = Math.max(1, Math.floor((store.maxParams - 4) / 2));
  for (const part of chunk(items, size)) {
    const ids = [...new Set(part.flatMap((i) => (i.symbolId !== null ? [i.symbolId] : [])))];
    const files = [...new Set(part.flatMap((i) => (i.symbolId === null ? [i.file] : [])))];
    const rows = await store.db
      .select()
      .from(marks)
      .where(
        and(
          eq(marks.engineerId, engineerId),
          or(ids.length > 0 ? inArray(marks.symbolId, ids) : undefined, files.length > 0 ? and(eq(marks.repoId, store.repoId), inArray(marks.file, files), isNull(marks.symbolId)) : undefined),
        ),
      );
    for (const r of rows) {
      const key = itemKey(r);
      const prev = out.get(key);
      if (!prev || later(r, prev)) out.set(key, r);
    }
  }
  return out;
}
