/**
 * Every engineer's current marks in one derivation (the digest's "understanding that went stale"
 * lists all 50 of them): the same result as `currentMarksForEngineer` per engineer, from one read
 * of mark_heads, one lookup of the current symbols and one `deriveMarkStates`.
 */
import { deriveMarkStatesBefore } from '../../core/marks.ts';
import type { Store } from '../store.ts';
import { latestMarksOfEveryone } from './mark-heads.ts';
import { byFileThenSymbol, currentForMarks, toCurrentMark, type CurrentMark } from './marks.ts';

/** Engineer id -> their current marks, fresh and stale, ordered as `currentMarksForEngineer` orders them. */
export async function currentMarksOfEngineers(store: Store, team: readonly { id: number; handle: string }[]): Promise<Map<number, CurrentMark[]>> {
  const out = new Map<number, CurrentMark[]>(team.map((e) => [e.id, []]));
  const handleOf = new Map(team.map((e) => [e.id, e.handle]));
  const rows = (await latestMarksOfEveryone(store)).filter((m) => handleOf.has(m.engineerId));
  if (rows.length === 0) return out;
  // The union of everyone's current symbols. A state of engineer E on a symbol found by E's own
  // marks is the same as derived alone (states depend on E's marks only). The one thing the union
  // adds: a symbol-less file found through someone else's file mark, which E reaches only by an
  // equal blob hash; alone E would see it only with a file mark of their own on it, so require one.
  const ownFileMarks = new Set(rows.filter((m) => m.name === '').map((m) => `${m.engineerId}\u0000${m.repoId}\u0000${m.file}`));
  for (const s of deriveMarkStatesBefore(rows, [{ before: Infinity, current: await currentForMarks(store, rows) }])[0]!) {
    if (s.symbol.id === null && !ownFileMarks.has(`${s.engineerId}\u0000${s.symbol.repoId}\u0000${s.symbol.file}`)) continue;
    out.get(s.engineerId)!.push(toCurrentMark(handleOf.get(s.engineerId)!, s.symbol, s.mark, s.stale));
  }
  for (const list of out.values()) list.sort(byFileThenSymbol);
  return out;
}
