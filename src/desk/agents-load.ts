/**
 * Loads the agent scorecard's facts from the database (src/db/repo/scorecard.ts) and builds the
 * scorecards (src/desk/agents.ts). Coverage splits each current symbol's weight among the agents by
 * the agent-written lines each added to it over its history: a close, cheap stand-in for blaming
 * every current line.
 */
import { COMPLEXITY_LIMIT, COMPLEXITY_RISE } from '../checklist/flags.ts';
import type { FileVersion } from '../core/churn.ts';
import { agentWeight, deriveUnderstanding } from '../core/debt.ts';
import { revertedShas } from '../core/scorecard.ts';
import { loadAliveSymbols, loadEngineerDirectory, loadFreshMarkStates } from '../db/repo/report.ts';
import { addedLinesSince, agentLinesBySymbol, approvalsOfAgentPrs, commitsSince, complexityFlagsSince, fileVersionsOf, renamedTo, revertMessagesSince } from '../db/repo/scorecard.ts';
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

export async function loadScorecards(store: Store, opts: { since?: number; now?: number } = {}): Promise<AgentScorecards & { since: string | null }> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const since = opts.since ?? 0;
  const rows = await commitsSince(store, since);
  const reverted = new Set<string>();
  const reverts = (await revertMessagesSince(store, since)).flatMap((m) => revertedShas(m));
  const bySha = new Map(rows.map((r) => [r.sha, r]));
  for (const prefix of reverts) {
    if (bySha.has(prefix)) reverted.add(prefix);
    else for (const sha of bySha.keys()) if (sha.startsWith(prefix)) reverted.add(sha);
  }
  const added = new Map<string, Map<string, number>>();
  const addedRows = await addedLinesSince(store, since);
  for (const a of addedRows) {
    const m = added.get(a.sha) ?? new Map<string, number>();
    const area = topLevelArea(a.path);
    m.set(area, (m.get(area) ?? 0) + Math.max(0, Number(a.lines)));
    added.set(a.sha, m);
  }
  const commits: ScoredCommit[] = rows.map((r) => ({
    sha: r.sha,
    agent: r.kind === 'agent' ? (r.agent ?? 'unknown') : null,
    at: r.at,
    reverted: reverted.has(r.sha),
    addedByArea: added.get(r.sha) ?? new Map(),
  }));

  // Lineages of every file an agent commit wrote, following renames.
  const paths = [...new Set(addedRows.filter((a) => bySha.get(a.sha)?.kind === 'agent').map((a) => a.path))];
  for (let round = 0, fresh = paths; round < 3 && fresh.length > 0; round++) {
    fresh = (await renamedTo(store, fresh)).filter((p) => !paths.includes(p));
    paths.push(...fresh);
  }
  const lineageOf = new Map<string, FileVersion[]>();
  const areaOf = new Map<FileVersion[], string>();
  for (const v of await fileVersionsOf(store, paths)) {
    let lineage = (v.oldPath ? lineageOf.get(v.oldPath) : undefined) ?? lineageOf.get(v.path);
    if (!lineage) {
      lineage = [];
      areaOf.set(lineage, topLevelArea(v.path));
    }
    lineageOf.set(v.path, lineage);
    if (v.blob !== null && v.runs === null) continue; // not blamed (not analyzed): unknown, not deleted
    lineage.push({ sha: v.sha, at: v.at, linesBy: v.runs === null ? new Map() : linesBySha(v.runs) });
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
