/**
 * The team's explanation of each checklist item (the latest `explained` note on its symbol), shown
 * to the next reader. An explanation written for another version than the item's head is stale:
 * it carries the diff from the explained text to the head text (both kept in symbol_texts by hash).
 */
import { createTwoFilesPatch } from 'diff';
import { loadSymbolTexts } from '../db/repo/checklist.ts';
import { latestExplanations } from '../db/repo/explanations.ts';
import type { Store } from '../db/store.ts';
import type { ChecklistItem } from './types.ts';

const iso = (sec: number) => new Date(sec * 1000).toISOString();
const withEol = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

export async function attachExplanations(store: Store, items: ChecklistItem[]): Promise<void> {
  const explanations = await latestExplanations(store, items.flatMap((i) => (i.symbolId !== null ? [i.symbolId] : [])));
  const staleHashes = items.flatMap((i) => {
    const e = i.symbolId !== null ? explanations.get(i.symbolId) : undefined;
    return e && i.hash !== null && e.hash !== i.hash ? [e.hash, i.hash] : [];
  });
  const texts = staleHashes.length > 0 ? await loadSymbolTexts(store, staleHashes) : new Map<string, string>();
  for (const item of items) {
    const e = item.symbolId !== null ? explanations.get(item.symbolId) : undefined;
    if (!e) {
      item.explanation = null;
      continue;
    }
    const stale = e.hash !== item.hash;
    const then = texts.get(e.hash);
    const now = item.hash !== null ? texts.get(item.hash) : undefined;
    const label = `${item.file}#${item.symbol}`;
    const diff = stale && then !== undefined && now !== undefined ? createTwoFilesPatch(label, label, withEol(then), withEol(now), 'explained', 'head') : null;
    item.explanation = { by: e.engineer, note: e.note, at: iso(e.at), stale, diff };
  }
}
