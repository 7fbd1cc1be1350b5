/**
 * Loads the agent scorecard's facts from the database (src/db/repo/scorecard.ts) and builds the
 * scorecards (src/desk/agents.ts). Coverage splits each current symbol's weight among the agents by
 * the agent-written lines each added to it over its history: a close, cheap stand-in for blaming
 * every current line.
 */
import { COMPLEXITY_LIMIT, COMPLEXITY_RISE } from '../checklist/flags.ts';
import type { FileVersion } from '../core/churn.ts';
import { agentWeight, deriveUnderstanding } from '../core/debt.ts';
import { groupBy } from '../core/group-by.ts';
import { placeKey } from '../core/relevance.ts';
import { revertedShas } from '../core/scorecard.ts';
import { loadAliveSymbols, loadEngineerDirectory, loadFreshMarkStates } from '../db/repo/report.ts';
import { addedLinesSince, agentLinesBySymbol, approvalsOfAgentPrs, commitsSince, complexityFlagsSince, fileVersionsOf, renamesFrom, revertMessagesSince } from '../db/repo/scorecard.ts';
import type { Store } from '../db/store.ts';
import { buildScorecards, topLevelArea, type AgentScorecards, type Lineage, type ScoredCommit, type ScoredSymbol } from './agents.ts';

/** Lines per introducing sha in a stored forward blame `{"shas": [...], "runs": [[count, index, agent], ...]}`. */
export function linesBySha(runs: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const parsed = JSON.parse(runs) as { shas?: unknown; runs?: unknown };
    const shas = Array.isArray(parsed.shas) ? parsed.shas : [];
    for (const run of Array.isArray(parsed.runs) ? parsed.runs : []) {
      if (!Array.isArray(run) || typeof run[0] !== 'number') continue;
      const sha = shas[run[1] as number];
      if (typeof sha === 'string' && sha !== '') out.set(sha, (out.get(sha) ?? 0) + Math.max(0, run[0]));
    }
  } catch {
    // A malformed blame tells nothing: no lines.
  }
  return out;
}

/**
 * Commits, files and lineages are keyed by repository too: two repositories can hold the same path
 * (or, as forks, the same commits) without sharing churn or reverts.
 */
const inRepo = (repoId: number, key: string): string => placeKey(repoId, key);

export async function loadScorecards(store: Store, opts: { since?: number; now?: number } = {}): Promise<AgentScorecards & { since: string | null }> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const since = opts.since ?? 0;
  const rows = await commitsSince(store, since);
  const byKey = new Map(rows.map((r) => [inRepo(r.repoId, r.sha), r]));
  const shasOfRepo = groupBy(rows, (r) => r.repoId);
  const reverted = new Set<string>();
  for (const { repoId, message } of await revertMessagesSince(store, since)) {
    for (const prefix of revertedShas(message)) {
      if (byKey.has(inRepo(repoId, prefix))) reverted.add(inRepo(repoId, prefix));
      else for (const r of shasOfRepo.get(repoId) ?? []) if (r.sha.startsWith(prefix)) reverted.add(inRepo(repoId, r.sha));
    }
  }
  const added = new Map<string, Map<string, number>>();
  const addedRows = await addedLinesSince(store, since);
  for (const a of addedRows) {
    const key = inRepo(a.repoId, a.sha);
    const m = added.get(key) ?? new Map<string, number>();
    const area = topLevelArea(a.path);
    m.set(area, (m.get(area) ?? 0) + Math.max(0, Number(a.lines)));
    added.set(key, m);
  }
  const commits: ScoredCommit[] = rows.map((r) => {
    const key = inRepo(r.repoId, r.sha);
    return { sha: key, agent: r.kind === 'agent' ? (r.agent ?? 'unknown') : null, at: r.at, reverted: reverted.has(key), addedByArea: added.get(key) ?? new Map() };
  });

  // Lineages of every file an agent commit wrote, following renames, per repository.
  const agentRows = addedRows.filter((a) => byKey.get(inRepo(a.repoId, a.sha))?.kind === 'agent');
  const places = new Set(agentRows.map((a) => inRepo(a.repoId, a.path)));
  const paths = new Set(agentRows.map((a) => a.path));
  let fresh = [...paths];
  for (let round = 0; round < 3 && fresh.length > 0; round++) {
    const next = new Set<string>();
    for (const r of await renamesFrom(store, fresh)) {
      const place = inRepo(r.repoId, r.path);
      if (!places.has(inRepo(r.repoId, r.oldPath)) || places.has(place)) continue;
      places.add(place);
      paths.add(r.path);
      next.add(r.path);
    }
    fresh = [...next];
  }
  const lineageOf = new Map<string, FileVersion[]>();
  const areaOf = new Map<FileVersion[], string>();
  for (const v of await fileVersionsOf(store, [...paths])) {
    const place = inRepo(v.repoId, v.path);
    if (!places.has(place)) continue;
    let lineage = (v.oldPath ? lineageOf.get(inRepo(v.repoId, v.oldPath)) : undefined) ?? lineageOf.get(place);
    if (!lineage) {
      lineage = [];
      areaOf.set(lineage, topLevelArea(v.path));
    }
    lineageOf.set(place, lineage);
    if (v.blob !== null && v.runs === null) continue; // not blamed (not analyzed): unknown, not deleted
    const linesBy = new Map<string, number>();
    if (v.runs !== null) for (const [sha, n] of linesBySha(v.runs)) linesBy.set(inRepo(v.repoId, sha), n);
    lineage.push({ sha: inRepo(v.repoId, v.sha), at: v.at, linesBy });
  }
  const lineages: Lineage[] = [...new Set(lineageOf.values())].map((versions) => ({ area: areaOf.get(versions) ?? '.', versions }));

  const [current, people, split] = await Promise.all([loadAliveSymbols(store), loadEngineerDirectory(store), agentLinesBySymbol(store)]);
  const understanding = deriveUnderstanding(current, await loadFreshMarkStates(store, current), people.emailOwner);
  const agentsOf = new Map<number, Map<string, number>>();
  for (const s of split) {
    const m = agentsOf.get(s.symbolId) ?? new Map<string, number>();
    m.set(s.agent, (m.get(s.agent) ?? 0) + Number(s.lines));
    agentsOf.set(s.symbolId, m);
  }
  const symbols: ScoredSymbol[] = [];
  for (const s of current) {
    const weight = agentWeight(s);
    const by = agentsOf.get(s.id);
    if (weight <= 0 || !by) continue;
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    const weightByAgent = new Map([...by].map(([agent, lines]) => [agent, (weight * lines) / total]));
    symbols.push({ area: topLevelArea(s.file), understood: (understanding.get(s.id)?.understoodBy.size ?? 0) > 0, weightByAgent });
  }

  const approvals = (await approvalsOfAgentPrs(store)).map((a) => ({ agent: a.agent, rubberStamp: Boolean(a.rubberStamp) }));
  const flags = (await complexityFlagsSince(store, since, COMPLEXITY_LIMIT, COMPLEXITY_RISE)).map((f) => ({ agent: f.agent, area: topLevelArea(f.file), count: Number(f.count) }));
  return { ...buildScorecards({ commits, lineages, symbols, approvals, flags }, now), since: since > 0 ? new Date(since * 1000).toISOString() : null };
}
