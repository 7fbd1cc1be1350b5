/**
 * Re-derives provenance of already-ingested commits when evidence arrives after them:
 * branch names seen with --all-refs, git-ai notes written after the commit, and pull
 * request facts from GitHub (head branch, PR author). Every signal source feeds the same
 * pure classifier, so a commit's verdict never depends on which source came last.
 */
import type { Evidence } from '../core/provenance.ts';
import type { RecordNotesRef } from '../core/records/index.ts';
import { parseRanges } from '../core/ranges.ts';
import { getCommitsBySha, insertHistoryQueries, updateProvenanceQuery } from '../db/repo/commits.ts';
import { pullRequestsOfCommits } from '../db/repo/github.ts';
import { loadFileChanges } from '../db/repo/symbols.ts';
import type { RepoStore, WriteQuery } from '../db/store.ts';
import { provenanceFor, readRecords } from './rows.ts';
import { WritePacer } from '../db/write-pacer.ts';

export interface ProvenanceEvidence {
  /** Branch names by commit (only for commits whose branch list is known afresh). */
  branches?: ReadonlyMap<string, readonly string[]>;
  /** Every authorship note by commit (notes ref → text); when absent, record agents already in the evidence are kept. */
  notes?: Map<string, Partial<Record<RecordNotesRef, string>>>;
}

/** Reclassifies `shas`; returns how many commits changed verdict or evidence. */
export async function refreshProvenance(store: RepoStore, shas: string[], evidence: ProvenanceEvidence = {}): Promise<number> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return 0;
  const prInfo = await pullRequestsOfCommits(store, unique);
  const rows = await getCommitsBySha(store, unique);
  const files = evidence.notes ? await addedRanges(store, rows.filter((c) => evidence.notes!.has(c.sha)).map((c) => c.sha)) : new Map();
  const queries: WriteQuery[] = [];
  let changed = 0;
  for (const c of rows) {
    const branches = evidence.branches?.get(c.sha) ?? (JSON.parse(c.branches) as string[]);
    const notes = evidence.notes?.get(c.sha);
    const records = notes ? readRecords({ sha: c.sha, message: c.message, files: files.get(c.sha) ?? [] }, { notes }) : keptRecords(c.evidence);
    const pr = prInfo.get(c.sha);
    const signals = pr?.headRef ? [...branches, pr.headRef] : [...branches];
    const p = provenanceFor(c, signals, records.gitAiAgents, pr?.authorLogin ?? null, records.recordAgents);
    const evidenceJson = JSON.stringify(p.evidence);
    const branchesJson = JSON.stringify(branches);
    if (records.rows.length > 0 || records.warnings.length > 0) {
      queries.push(...insertHistoryQueries(store, { commits: [], files: [], aiLines: records.rows, warnings: records.warnings }));
    }
    if (p.kind !== c.kind || p.agent !== c.agent || evidenceJson !== c.evidence || branchesJson !== c.branches) {
      queries.push(updateProvenanceQuery(store, c.sha, { ...p, evidence: evidenceJson, branches: branchesJson }));
      changed++;
    }
  }
  // Independent updates: time-bounded transactions keep other writers' waits short.
  const pacer = new WritePacer(store);
  for (let i = 0; i < queries.length; ) {
    const n = pacer.rowBudget();
    await pacer.atomic(queries.slice(i, i + n));
    i += n;
  }
  return changed;
}

/** Record agents already in a commit's evidence, kept when a refresh brings no notes (GitHub facts only). */
function keptRecords(evidenceJson: string): { gitAiAgents: string[]; recordAgents: { source: string; agent: string }[]; rows: []; warnings: [] } {
  let evidence: Evidence[] = [];
  try {
    evidence = JSON.parse(evidenceJson) as Evidence[];
  } catch {
    // unreadable evidence: nothing to keep
  }
  const gitAiAgents = evidence.filter((e) => e.signal === 'git-ai-note' && e.agent).map((e) => e.agent!);
  const recordAgents = evidence
    .filter((e) => e.signal === 'authorship-record' && e.agent)
    .map((e) => ({ source: /^(\S+) record/.exec(e.detail)?.[1] ?? 'record', agent: e.agent! }));
  return { gitAiAgents, recordAgents, rows: [], warnings: [] };
}

/** Added line ranges per file of already-ingested commits. */
async function addedRanges(store: RepoStore, shas: string[]): Promise<Map<string, { path: string; newRanges: ReturnType<typeof parseRanges> }[]>> {
  const out = new Map<string, { path: string; newRanges: ReturnType<typeof parseRanges> }[]>();
  for (const f of await loadFileChanges(store, shas)) {
    let newRanges: ReturnType<typeof parseRanges> = [];
    try {
      newRanges = parseRanges(f.newRanges);
    } catch {
      // stored by ingest, so well-formed; an unreadable one counts as no added lines
    }
    out.set(f.sha, [...(out.get(f.sha) ?? []), { path: f.path, newRanges }]);
  }
  return out;
}

