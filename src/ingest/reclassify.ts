/**
 * Re-derives provenance of already-ingested commits when evidence arrives after them:
 * branch names seen with --all-refs, git-ai notes written after the commit, and pull
 * request facts from GitHub (head branch, PR author). Every signal source feeds the same
 * pure classifier, so a commit's verdict never depends on which source came last.
 */
import { getCommitsBySha, insertHistoryQueries, updateProvenanceQuery } from '../db/repo/commits.ts';
import { pullRequestsOfCommits } from '../db/repo/github.ts';
import type { Store, WriteQuery } from '../db/store.ts';
import { provenanceFor, readNote } from './rows.ts';

export interface ProvenanceEvidence {
  /** Branch names by commit (only for commits whose branch list is known afresh). */
  branches?: Map<string, string[]>;
  /** All git-ai notes by commit. */
  notes?: Map<string, string>;
}

/** Reclassifies `shas`; returns how many commits changed verdict or evidence. */
export async function refreshProvenance(store: Store, shas: string[], evidence: ProvenanceEvidence = {}): Promise<number> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return 0;
  const prInfo = await pullRequestsOfCommits(store, unique);
  const rows = await getCommitsBySha(store, unique);
  const queries: WriteQuery[] = [];
  let changed = 0;
  for (const c of rows) {
    const branches = evidence.branches?.get(c.sha) ?? (JSON.parse(c.branches) as string[]);
    const note = readNote(c.sha, evidence.notes?.get(c.sha));
    const pr = prInfo.get(c.sha);
    const signals = pr?.headRef ? [...branches, pr.headRef] : branches;
    const p = provenanceFor(c, signals, note.agents, pr?.authorLogin ?? null);
    const evidenceJson = JSON.stringify(p.evidence);
    const branchesJson = JSON.stringify(branches);
    if (note.rows.length > 0 || note.warning) {
      queries.push(...insertHistoryQueries(store, { commits: [], files: [], aiLines: note.rows, warnings: note.warning ? [note.warning] : [] }));
    }
    if (p.kind !== c.kind || p.agent !== c.agent || evidenceJson !== c.evidence || branchesJson !== c.branches) {
      queries.push(updateProvenanceQuery(store, c.sha, { ...p, evidence: evidenceJson, branches: branchesJson }));
      changed++;
    }
  }
  for (let i = 0; i < queries.length; i += 500) await store.atomic(queries.slice(i, i + 500));
  return changed;
}
