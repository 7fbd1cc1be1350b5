/**
 * Squash merges: map a pull request's authorship onto the commit that landed. With `--all-refs` and
 * PR refs present, each PR's commits (from the one `rev-list` walk of every ref, ./ref-graph.ts) carry their line
 * authorship to the PR head, then onto the squash commit's added lines (src/core/carry-forward.ts).
 * The squash gains `pr-commits` evidence, agent ai_lines rows (session `pr:<N>`), and counts as the
 * agents' when their lines are material. File texts come from one `cat-file --batch` per PR.
 */
import { agentIsMaterial, carryThroughPr, ownersOfLanded, summarizeOwners, type FileStep, type LineOwner } from '../core/carry-forward.ts';
import type { Evidence } from '../core/provenance.ts';
import { SIGNAL_WEIGHTS } from '../core/provenance.ts';
import { prCommitLists } from '../core/pr-membership.ts';
import { formatRanges, inRanges, parseRanges, type Range } from '../core/ranges.ts';
import { getCommitsByPrNumbers, getCommitsBySha, insertHistoryQueries, updateProvenanceQuery, type AiLinesRow } from '../db/repo/commits.ts';
import { loadAiLines, loadFileChanges } from '../db/repo/symbols.ts';
import type { RepoStore, WriteQuery } from '../db/store.ts';
import { readBlobs } from '../git/notes.ts';
import type { RefGraph } from './ref-graph.ts';

export async function attributeSquashes(store: RepoStore, root: string, refs: Pick<RefGraph, 'pullHeads' | 'offLine'>): Promise<number> {
  const heads = refs.pullHeads;
  if (heads.size === 0) return 0;
  const lists = prCommitLists(heads, refs.offLine);
  const landed = (await getCommitsByPrNumbers(store, [...lists.keys()])).filter((c) => c.prNumber !== null && (JSON.parse(c.parents) as string[]).length === 1);
  let changed = 0;
  for (const squash of landed) {
    const prShas = lists.get(squash.prNumber!)!;
    const [prRows, ai, files] = await Promise.all([getCommitsBySha(store, prShas), loadAiLines(store, prShas), loadFileChanges(store, [squash.sha])]);
    if (prRows.length === 0) continue;
    const kind = new Map(prRows.map((c) => [c.sha, c]));
    const agentRanges = new Map<string, Range[]>();
    for (const r of ai) if (r.agent) agentRanges.set(`${r.sha}\0${r.path}`, [...(agentRanges.get(`${r.sha}\0${r.path}`) ?? []), ...safe(r.ranges)]);
    const hasRecord = new Set(ai.map((r) => `${r.sha}\0${r.path}`));
    const firstParent = (JSON.parse(prRows.find((c) => c.sha === prShas[0])?.parents ?? '[]') as string[])[0];
    const paths = files.filter((f) => f.status !== 'D' && f.newRanges).map((f) => f.path);
    const names = paths.flatMap((p) => [...(firstParent ? [`${firstParent}:${p}`] : []), ...prShas.map((s) => `${s}:${p}`), `${squash.sha}:${p}`]);
    const blobs = await readBlobs(root, names);
    const text = (name: string) => blobs.get(name)?.toString('utf8') ?? null;
    const owners: LineOwner[] = [];
    const rows: AiLinesRow[] = [];
    for (const f of files.filter((x) => paths.includes(x.path))) {
      const steps: FileStep[] = prShas.map((sha) => {
        const c = kind.get(sha);
        const key = `${sha}\0${f.path}`;
        const own = (line: number): LineOwner => {
          if (hasRecord.has(key)) return inRanges(agentRanges.get(key) ?? [], line) ? { author: 'agent', agent: ai.find((r) => r.sha === sha && r.path === f.path && r.agent)?.agent ?? null, sha } : { author: 'human', agent: null, sha };
          return c?.kind === 'agent' ? { author: 'agent', agent: c.agent, sha } : { author: 'human', agent: null, sha };
        };
        return { sha, text: text(`${sha}:${f.path}`), ownerOf: own };
      });
      const head = carryThroughPr(firstParent ? text(`${firstParent}:${f.path}`) : null, steps);
      const added = safe(f.newRanges).flatMap(([s, e]) => Array.from({ length: e - s + 1 }, (_, i) => s + i));
      const landedOwners = ownersOfLanded(head, text(`${squash.sha}:${f.path}`), added, { author: squash.kind === 'agent' ? 'agent' : 'human', agent: squash.agent, sha: null });
      owners.push(...landedOwners.values());
      // Every agent line, carried or the squash's own, so the analysis counts the rest as human.
      const agentLines = [...landedOwners].filter(([, o]) => o.author === 'agent').map(([l]) => [l, l] as Range);
      const agent = [...landedOwners.values()].find((o) => o.author === 'agent')?.agent ?? 'unknown';
      if (agentLines.length) rows.push({ sha: squash.sha, path: f.path, session: `pr:${squash.prNumber}`, agent, model: null, ranges: formatRanges(agentLines) });
    }
    const sum = summarizeOwners(owners.filter((o) => o.sha));
    const agentLines = owners.filter((o) => o.author === 'agent' && o.sha).length;
    const evidence = JSON.parse(squash.evidence) as Evidence[];
    if (evidence.some((e) => e.signal === 'pr-commits')) continue;
    const detail = `PR #${squash.prNumber}: ${agentLines} of ${owners.length} added lines by ${sum.agents.join(', ') || 'no agent'} (commits ${prShas.map((s) => s.slice(0, 10)).join(', ')})`;
    const material = agentIsMaterial(agentLines, owners.length);
    const top = sum.agents[0] ?? null;
    evidence.push({ signal: 'pr-commits', detail, ...(top ? { agent: top } : {}) });
    const becomesAgent = material && squash.kind !== 'agent';
    const queries: WriteQuery[] = [
      updateProvenanceQuery(store, squash.sha, {
        kind: becomesAgent ? 'agent' : squash.kind,
        agent: becomesAgent ? top : squash.agent,
        confidence: becomesAgent ? SIGNAL_WEIGHTS['pr-commits'] : squash.confidence,
        evidence: JSON.stringify(evidence),
      }),
      ...insertHistoryQueries(store, { commits: [], files: [], aiLines: rows, warnings: [] }),
    ];
    await store.atomic(queries);
    changed++;
  }
  return changed;
}

function safe(text: string): Range[] {
  try {
    return parseRanges(text);
  } catch {
    return [];
  }
}
