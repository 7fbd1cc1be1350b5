/**
 * Collisions, pure: symbols changed by two or more open PRs or branches at once, so the orchestrator
 * can sequence or merge the work before reviewing the same code twice.
 *
 * A symbol is matched by identity: its symbol id when it exists at the base (a rename or move keeps
 * the id), else by file + name (two PRs adding the same function to the same file collide too).
 */
export interface WorkRef {
  /** PR number, or null when a branch stands in for a PR (git-only data). */
  number: number | null;
  branch: string | null;
  agent: string | null;
}

export interface ChangedSymbol {
  /** Symbol ids are per repository: the identity is (repo, id). */
  repo?: string;
  symbolId: number | null;
  file: string;
  name: string;
}

export interface WorkChanges extends WorkRef {
  symbols: readonly ChangedSymbol[];
}

export interface Collision {
  repo: string | null;
  symbol: string;
  file: string;
  symbolId: number | null;
  work: WorkRef[];
  prs: number[];
  branches: string[];
  agents: string[];
}

function identity(s: ChangedSymbol): string {
  const repo = s.repo ?? '';
  return s.symbolId !== null ? `${repo}\0id:${s.symbolId}` : `${repo}\0n:${s.file}\0${s.name}`;
}

function workKey(w: WorkRef): string {
  return w.number !== null ? `pr:${w.number}` : `br:${w.branch ?? ''}`;
}

/** Every symbol touched by at least two distinct pieces of work, ordered by file, then name. */
export function findCollisions(work: readonly WorkChanges[]): Collision[] {
  const bySymbol = new Map<string, { symbol: ChangedSymbol; work: Map<string, WorkRef> }>();
  for (const w of work) {
    const ref: WorkRef = { number: w.number, branch: w.branch, agent: w.agent };
    for (const s of w.symbols) {
      const key = identity(s);
      const entry = bySymbol.get(key) ?? { symbol: s, work: new Map<string, WorkRef>() };
      entry.work.set(workKey(ref), ref);
      bySymbol.set(key, entry);
    }
  }
  const out: Collision[] = [];
  for (const { symbol, work: refs } of bySymbol.values()) {
    if (refs.size < 2) continue;
    const list = [...refs.values()].sort((a, b) => workKey(a).localeCompare(workKey(b)));
    out.push({
      repo: symbol.repo ?? null,
      symbol: symbol.name,
      file: symbol.file,
      symbolId: symbol.symbolId,
      work: list,
      prs: list.flatMap((w) => (w.number !== null ? [w.number] : [])).sort((a, b) => a - b),
      branches: list.flatMap((w) => (w.number === null && w.branch ? [w.branch] : [])).sort(),
      agents: [...new Set(list.flatMap((w) => (w.agent ? [w.agent] : [])))].sort(),
    });
  }
  return out.sort((a, b) => (a.repo ?? '').localeCompare(b.repo ?? '') || a.file.localeCompare(b.file) || a.symbol.localeCompare(b.symbol));
}

/** The collisions one piece of work takes part in. */
export function collisionsOf(ref: WorkRef, collisions: readonly Collision[]): Collision[] {
  const key = workKey(ref);
  return collisions.filter((c) => c.work.some((w) => workKey(w) === key));
}
