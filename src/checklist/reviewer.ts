/**
 * What marks say about a checklist's items, pure: who already reviewed the head version, what the
 * reviewer (`--as`) reviewed before (fresh: collapse; stale: show what changed since), and who to
 * ask. Marks are append-only; an engineer's latest mark on a hash is their word on that version.
 */
import { isMarkLevel, isUnderstandingLevel, type MarkFact, type MarkLevel } from '../core/marks.ts';

export type { MarkFact } from '../core/marks.ts';

/** The identity and versions of one checklist item, as marks may refer to it. */
export interface ItemIdentity {
  symbolId: number | null;
  /** (file, name) at head and before the range; name '' for a file-level item. */
  places: { file: string; name: string }[];
  /** Head hash (symbol hash or file blob); null when deleted. */
  hash: string | null;
  /** Hashes of this item before and within the range. */
  versions: readonly string[];
}

const later = (a: MarkFact, b: MarkFact) => (a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id);
const understands = (level: string) => isMarkLevel(level) && isUnderstandingLevel(level as MarkLevel);

/** Latest mark per (engineer, hash). */
export function latestByEngineerAndHash(marks: readonly MarkFact[]): Map<string, MarkFact> {
  const out = new Map<string, MarkFact>();
  for (const m of marks) {
    const k = `${m.engineerId}\u0000${m.hash}`;
    const prev = out.get(k);
    if (!prev || later(m, prev)) out.set(k, m);
  }
  return out;
}

/** Engineers whose latest word on `hash` is reviewed or explained. */
export function understandersOf(latest: ReadonlyMap<string, MarkFact>, hash: string | null): Set<number> {
  const out = new Set<number>();
  if (hash === null) return out;
  for (const m of latest.values()) if (m.hash === hash && understands(m.level)) out.add(m.engineerId);
  return out;
}

export interface ReviewerState {
  alreadyReviewed: boolean;
  /** The reviewer's latest mark on an older version of the item (null when none, or when fresh). */
  stale: MarkFact | null;
}

/** The reviewer's standing on one item, from all of the reviewer's marks. */
export function reviewerState(reviewerMarks: readonly MarkFact[], item: ItemIdentity): ReviewerState {
  if (item.hash === null) return { alreadyReviewed: false, stale: null };
  let fresh: MarkFact | null = null;
  let older: MarkFact | null = null;
  const versions = new Set(item.versions);
  for (const m of reviewerMarks) {
    if (m.hash === item.hash) {
      if (!fresh || later(m, fresh)) fresh = m;
      continue;
    }
    const sameIdentity =
      (item.symbolId !== null && m.symbolId === item.symbolId) ||
      versions.has(m.hash) ||
      item.places.some((p) => p.file === m.file && p.name === m.name);
    if (sameIdentity && (!older || later(m, older))) older = m;
  }
  if (fresh && understands(fresh.level)) return { alreadyReviewed: true, stale: null };
  return { alreadyReviewed: false, stale: older };
}

/**
 * Who to ask, best first: +2 per item an engineer reviewed at its head version, +1 per item whose
 * earlier version they reviewed or wrote by hand. The reviewer is left out; at most `limit`.
 */
export function rankReviewers(
  items: readonly { hash: string | null; versions: readonly string[]; priorAuthors: ReadonlySet<number> }[],
  latest: ReadonlyMap<string, MarkFact>,
  handles: ReadonlyMap<number, string>,
  exclude: number | null,
  limit = 5,
): string[] {
  const score = new Map<number, number>();
  const add = (id: number, n: number) => {
    if (id !== exclude) score.set(id, (score.get(id) ?? 0) + n);
  };
  const byHash = new Map<string, MarkFact[]>();
  for (const m of latest.values()) {
    if (!understands(m.level)) continue;
    const list = byHash.get(m.hash);
    if (list) list.push(m);
    else byHash.set(m.hash, [m]);
  }
  for (const item of items) {
    const best = new Map<number, number>();
    const bump = (id: number, n: number) => best.set(id, Math.max(best.get(id) ?? 0, n));
    for (const h of item.versions) for (const m of byHash.get(h) ?? []) bump(m.engineerId, h === item.hash ? 2 : 1);
    for (const id of item.priorAuthors) bump(id, 1);
    for (const [id, n] of best) add(id, n);
  }
  return [...score]
    .filter(([id]) => handles.has(id))
    .sort((a, b) => b[1] - a[1] || handles.get(a[0])!.localeCompare(handles.get(b[0])!))
    .slice(0, limit)
    .map(([id]) => handles.get(id)!);
}
