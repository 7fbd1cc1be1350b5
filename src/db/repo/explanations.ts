/**
 * Explanations as team knowledge: an `explained` mark's note documents its symbol. Full-text search
 * goes through the FTS5 table `explanations_fts` (kept by triggers on marks, see migrations); the
 * latest explanation of each symbol is shown to its next reader, fresh or stale.
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { ftsQuery } from '../../core/search-query.ts';
import { engineers, marks, symbols } from '../schema.ts';
import { chunk, type Store } from '../store.ts';

export interface Explanation {
  markId: number;
  engineer: string;
  symbolId: number | null;
  file: string;
  /** Qualified symbol name, '' for a file. */
  name: string;
  note: string;
  /** The hash the explanation was written for, and the symbol's hash now (null when gone). */
  hash: string;
  currentHash: string | null;
  stale: boolean;
  at: number;
}

export interface SearchHit extends Explanation {
  /** The matching part of the note with the words in [brackets]. */
  snippet: string;
  rank: number;
}

export const MAX_SEARCH_RESULTS = 100;

/** Explanations matching the words, best first; [] when the words hold nothing searchable. */
export async function searchExplanations(store: Store, words: string, limit = 20): Promise<SearchHit[]> {
  const match = ftsQuery(words);
  if (match === null) return [];
  const n = Math.max(1, Math.min(MAX_SEARCH_RESULTS, Math.floor(limit)));
  type Row = [number, string, number | null, string, string, string, string, number, string | null, number | null, string, number];
  const rows = await store.db.values<Row>(sql`
    select m.id, e.handle, m.symbol_id, m.file, m.name, m.note, m.hash, m.created_at, s.hash, s.alive,
           snippet(explanations_fts, 0, '[', ']', '…', 16), bm25(explanations_fts)
    from explanations_fts
    join ${marks} m on m.id = explanations_fts.rowid
    join ${engineers} e on e.id = m.engineer_id
    left join ${symbols} s on s.id = m.symbol_id
    where explanations_fts match ${match}
    order by bm25(explanations_fts), m.id desc
    limit ${n}`);
  return rows.map(([markId, engineer, symbolId, file, name, note, hash, at, current, alive, snippet, rank]) => {
    const currentHash = alive ? current : null;
    return { markId, engineer, symbolId, file, name, note, hash, currentHash, stale: currentHash !== hash, at, snippet, rank };
  });
}

/** The latest explanation of each of these symbols (any engineer), fresh or stale. */
export async function latestExplanations(store: Store, symbolIds: Iterable<number>): Promise<Map<number, Explanation>> {
  const out = new Map<number, Explanation>();
  const ids = [...new Set(symbolIds)];
  for (const part of chunk(ids, Math.max(1, store.maxParams - 2))) {
    const rows = await store.db
      .select({
        markId: marks.id,
        engineer: engineers.handle,
        symbolId: marks.symbolId,
        file: marks.file,
        name: marks.name,
        note: marks.note,
        hash: marks.hash,
        at: marks.createdAt,
        currentHash: symbols.hash,
        alive: symbols.alive,
      })
      .from(marks)
      .innerJoin(engineers, eq(engineers.id, marks.engineerId))
      .leftJoin(symbols, eq(symbols.id, marks.symbolId))
      .where(and(inArray(marks.symbolId, part), eq(marks.level, 'explained'), isNotNull(marks.note)))
      .orderBy(desc(marks.createdAt), desc(marks.id))
      .all();
    for (const r of rows) {
      if (r.symbolId === null || out.has(r.symbolId) || !r.note) continue;
      const currentHash = r.alive ? r.currentHash : null;
      out.set(r.symbolId, { ...r, note: r.note, currentHash, stale: currentHash !== r.hash });
    }
  }
  return out;
}
