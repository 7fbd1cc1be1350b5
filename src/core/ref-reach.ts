/**
 * Which refs reach each commit, from one walk of the history (pure; no process per ref).
 *
 * The walk lists commits children first (what `git rev-list --topo-order` guarantees), each with its
 * parents. A commit is reached by the refs whose tip it is, plus every ref that reaches one of its
 * children; one pass in that order settles every commit. Sets are interned: commits reached by the
 * same refs share one array, so memory stays linear in commits plus the distinct sets, not
 * commits x refs.
 */

export interface RefTip {
  /** The name recorded for the ref (`feature/x`, `origin/claude/fix`). */
  name: string;
  sha: string;
}

export interface HistoryWalk {
  /** Commits, every child before its parents. */
  order: readonly string[];
  parents: ReadonlyMap<string, readonly string[]>;
}

/** Commit -> the names of the refs that reach it, sorted; commits reached by none are absent. */
export function refsReaching(walk: HistoryWalk, tips: readonly RefTip[]): Map<string, readonly string[]> {
  const names = [...new Set(tips.map((t) => t.name))].sort();
  const nameId = new Map(names.map((n, i) => [n, i]));
  const sets = new Interned();
  const tipSet = new Map<string, number>();
  for (const t of tips) tipSet.set(t.sha, sets.union(tipSet.get(t.sha) ?? Interned.EMPTY, sets.of([nameId.get(t.name)!])));

  const reached = new Map<string, number>();
  for (const sha of walk.order) {
    const own = sets.union(reached.get(sha) ?? Interned.EMPTY, tipSet.get(sha) ?? Interned.EMPTY);
    if (own === Interned.EMPTY) continue;
    reached.set(sha, own);
    for (const p of walk.parents.get(sha) ?? []) reached.set(p, sets.union(reached.get(p) ?? Interned.EMPTY, own));
  }

  const asNames = new Map<number, readonly string[]>();
  const out = new Map<string, readonly string[]>();
  for (const [sha, id] of reached) {
    if (!walk.parents.has(sha)) continue; // a parent outside the walk (on the excluded line)
    let list = asNames.get(id);
    if (!list) asNames.set(id, (list = sets.members(id).map((i) => names[i]!)));
    out.set(sha, list);
  }
  return out;
}

/** Sorted sets of small integers, each stored once and named by an id; unions memoized. */
class Interned {
  static readonly EMPTY = 0;
  private readonly byKey = new Map<string, number>([['', Interned.EMPTY]]);
  private readonly lists: (readonly number[])[] = [[]];
  private readonly unions = new Map<string, number>();

  of(members: readonly number[]): number {
    const sorted = [...new Set(members)].sort((a, b) => a - b);
    const key = sorted.join(',');
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.lists.length;
      this.lists.push(sorted);
      this.byKey.set(key, id);
    }
    return id;
  }

  members(id: number): readonly number[] {
    return this.lists[id]!;
  }

  union(a: number, b: number): number {
    if (a === b || b === Interned.EMPTY) return a;
    if (a === Interned.EMPTY) return b;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let id = this.unions.get(key);
    if (id === undefined) {
      id = this.of([...this.lists[a]!, ...this.lists[b]!]);
      this.unions.set(key, id);
    }
    return id;
  }
}
