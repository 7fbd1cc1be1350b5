/**
 * The team's explanation of a symbol (the latest `explained` note on it), shown to its next reader:
 * checklist items, the engineer report. An explanation written for another version than the one
 * shown is stale and carries the diff from the explained text to the shown text (symbol_texts keeps
 * both by hash).
 */
import { createTwoFilesPatch } from 'diff';
import { loadSymbolTexts } from '../db/repo/checklist.ts';
import { latestExplanations } from '../db/repo/explanations.ts';
import type { RepoStore, Store } from '../db/store.ts';
import type { ChecklistItem, ItemExplanation } from './types.ts';

const iso = (sec: number) => new Date(sec * 1000).toISOString();
const withEol = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

export interface ShownSymbol {
  symbolId: number | null;
  /** The version shown to the reader; null when it is gone (deleted). */
  hash: string | null;
  file: string;
  symbol: string;
}

/** Each shown symbol's latest explanation, by symbol id (absent: never explained). */
export async function explanationsFor(store: Store, shown: readonly ShownSymbol[]): Promise<Map<number, ItemExplanation>> {
  const explanations = await latestExplanations(store, shown.flatMap((s) => (s.symbolId !== null ? [s.symbolId] : [])));
  const staleHashes = shown.flatMap((s) => {
    const e = s.symbolId !== null ? explanations.get(s.symbolId) : undefined;
    return e && s.hash !== null && e.hash !== s.hash ? [e.hash, s.hash] : [];
  });
  const texts = staleHashes.length > 0 ? await loadSymbolTexts(store, staleHashes) : new Map<string, string>();
  const out = new Map<number, ItemExplanation>();
  for (const s of shown) {
    const e = s.symbolId !== null ? explanations.get(s.symbolId) : undefined;
    if (!e || s.symbolId === null) continue;
    const stale = e.hash !== s.hash;
    const then = texts.get(e.hash);
    const now = s.hash !== null ? texts.get(s.hash) : undefined;
    const label = `${s.file}#${s.symbol}`;
    const diff = stale && then !== undefined && now !== undefined ? createTwoFilesPatch(label, label, withEol(then), withEol(now), 'explained', 'now') : null;
    out.set(s.symbolId, { by: e.engineer, note: e.note, at: iso(e.at), stale, diff });
  }
  return out;
}

export async function attachExplanations(store: RepoStore, items: ChecklistItem[]): Promise<void> {
  const found = await explanationsFor(store, items);
  for (const item of items) item.explanation = item.symbolId !== null ? (found.get(item.symbolId) ?? null) : null;
}
