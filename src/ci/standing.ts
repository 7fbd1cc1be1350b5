/**
 * What the local database says about a checklist's items for the gate: each item's head version
 * (the last change to it inside the range) and every engineer's latest mark on those versions.
 */
import type { Checklist } from '../checklist/types.ts';
import { latestByEngineerAndHash } from '../checklist/reviewer.ts';
import { isMarkLevel, type MarkFact } from '../core/marks.ts';
import { handlesOf, loadCommits, loadFileChanges, loadMarksOnHashes, loadSymbolChanges, type FileChangeWithSeq, type SymbolChangeWithSeq } from '../db/repo/checklist.ts';
import type { RepoStore } from '../db/store.ts';
import { itemKey, type ItemHead, type MarkStanding } from './gate.ts';

export async function loadItemHeads(store: RepoStore, checklist: Checklist): Promise<Map<string, ItemHead>> {
  const shas = checklist.commits.map((c) => c.sha);
  const seqOf = new Map((await loadCommits(store, shas)).map((c) => [c.sha, c.seq]));
  const [symbolRows, fileRows] = await Promise.all([loadSymbolChanges(store, shas, seqOf), loadFileChanges(store, shas, seqOf)]);
  return itemHeadsOf(symbolRows, fileRows);
}

/** Each item's head version: the last change to it among these rows (by commit order). */
export function itemHeadsOf(
  symbolRows: readonly Pick<SymbolChangeWithSeq, 'seq' | 'change' | 'file' | 'name' | 'hash' | 'endLine'>[],
  fileRows: readonly Pick<FileChangeWithSeq, 'seq' | 'status' | 'path' | 'newBlob'>[],
): Map<string, ItemHead> {
  const best = new Map<string, { seq: number; head: ItemHead }>();
  const offer = (key: string, seq: number, head: ItemHead) => {
    const prev = best.get(key);
    if (!prev || seq >= prev.seq) best.set(key, { seq, head });
  };
  for (const r of symbolRows) if (r.change !== 'deleted') offer(itemKey({ file: r.file, symbol: r.name }), r.seq, { hash: r.hash, endLine: r.endLine });
  for (const r of fileRows) if (!r.status.startsWith('D')) offer(itemKey({ file: r.path, symbol: '' }), r.seq, { hash: r.newBlob, endLine: null });
  return new Map([...best].map(([k, v]) => [k, v.head]));
}

export async function loadStanding(store: RepoStore, hashes: readonly string[]): Promise<Map<string, MarkStanding[]>> {
  const latest = [...latestByEngineerAndHash(await loadMarksOnHashes(store, hashes)).values()];
  return standingOf(latest, await handlesOf(store, latest.map((m) => m.engineerId)));
}

/** Every engineer's latest mark per hash, by handle (engineers without a handle left out). */
export function standingOf(latest: readonly MarkFact[], handles: ReadonlyMap<number, string>): Map<string, MarkStanding[]> {
  const out = new Map<string, MarkStanding[]>();
  for (const m of latest) {
    const engineer = handles.get(m.engineerId);
    if (!engineer || !isMarkLevel(m.level)) continue;
    const list = out.get(m.hash) ?? [];
    list.push({ engineer, level: m.level });
    out.set(m.hash, list);
  }
  return out;
}
