/**
 * Which commits wrote the agent lines of each symbol on the report, from the forward blame stored
 * for the file's current blob (read in src/db/repo/activity.ts).
 */
import { decodeRuns } from '../analysis/blame.ts';
import { placeKey } from '../core/relevance.ts';
import { loadCommitInfo, loadCurrentBlame } from '../db/repo/activity.ts';
import type { Store } from '../db/store.ts';

export { loadCommitInfo, loadRecentWork, loadReviewLinks, loadRubberStamps, type RecentWork, type RubberStampRow } from '../db/repo/activity.ts';

export interface LineOrigin {
  sha: string;
  lines: number;
  agent: string | null;
  /** Epoch seconds. */
  at: number;
}

/**
 * Which commits wrote the agent lines of each symbol's current version, from the forward blame of
 * the file's current blob; most lines first. Symbols whose blob has no stored blame get no entry.
 */
export async function loadAgentOrigins(store: Store, items: readonly { id: number; repoId: number; file: string; startLine: number; endLine: number }[]): Promise<Map<number, LineOrigin[]>> {
  const out = new Map<number, LineOrigin[]>();
  if (items.length === 0) return out;
  const runsByFile = new Map<string, ReturnType<typeof decodeRuns>>();
  for (const [key, runs] of await loadCurrentBlame(store, items.map((i) => ({ repoId: i.repoId, path: i.file })))) {
    try {
      runsByFile.set(key, decodeRuns(JSON.parse(runs)));
    } catch {
      // malformed blame: the report falls back to the symbol's last commit
    }
  }
  const counts = new Map<number, Map<string, number>>();
  for (const item of items) {
    const origins = runsByFile.get(placeKey(item.repoId, item.file));
    if (!origins) continue;
    const perSha = new Map<string, number>();
    for (let line = item.startLine; line <= Math.min(item.endLine, origins.shas.length); line++) {
      const sha = origins.shas[line - 1]!;
      if (origins.agent[line - 1] && sha !== '') perSha.set(sha, (perSha.get(sha) ?? 0) + 1);
    }
    counts.set(item.id, perSha);
  }
  const info = await loadCommitInfo(store, [...counts.values()].flatMap((m) => [...m.keys()]));
  for (const [id, perSha] of counts) {
    const list = [...perSha]
      .map(([sha, lines]) => ({ sha, lines, agent: info.get(sha)?.agent ?? null, at: info.get(sha)?.authorDate ?? 0 }))
      .sort((a, b) => b.lines - a.lines || b.at - a.at || a.sha.localeCompare(b.sha));
    out.set(id, list);
  }
  return out;
}

