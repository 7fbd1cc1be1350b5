/**
 * Pure reduction of a parsed git commit (plus notes and branch names) to database rows.
 * Kept free of I/O so the same model comes out whatever the source.
 */
import { resolveAttribution, UNTRACKED_KEY, type LineSpan } from '../core/line-attribution.ts';
import { classifyCommit } from '../core/provenance.ts';
import { formatRanges, normalizeRanges, type Range } from '../core/ranges.ts';
import { readCommitRecords, type RecordNotesRef } from '../core/records/index.ts';
import type { AiLinesRow, CommitRow, FileChangeRow, WarningRow } from '../db/repo/commits.ts';
import type { ParsedCommit } from '../git/log-parser.ts';

export interface CommitContext {
  seq: number;
  branches: string[];
  /** Note text by notes ref, for this commit (git-ai, agentblame, whogitit, Agent Trace). */
  notes: Partial<Record<RecordNotesRef, string>>;
  /** Agent Trace records this commit added to `.agent-trace/traces.jsonl`. */
  treeTraces?: string;
  /** Agent named by the commit's Entire checkpoint metadata, when the checkpoints branch is present. */
  entireAgent?: string | null;
  /** A shallow clone's boundary commit: its tree is the baseline, not a change (no files, no added lines). */
  baseline?: boolean;
  /** Blobs known to be absent from the object store. */
  missingBlobs?: ReadonlySet<string>;
}

export interface CommitRows {
  commit: CommitRow;
  files: FileChangeRow[];
  aiLines: AiLinesRow[];
  warnings: WarningRow[];
}

/** "(#123)" at the end of the subject (squash merges) or "Merge pull request #123 from ...". */
export function prNumberFromSubject(subject: string): number | null {
  const m = /\(#(\d+)\)\s*$/.exec(subject) ?? /^Merge pull request #(\d+)\b/.exec(subject);
  return m ? Number(m[1]) : null;
}

export function subjectOf(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}

export interface RecordReading {
  /** Agents named by git-ai notes (signal git-ai-note). */
  gitAiAgents: string[];
  /** Agents named by the other authorship records (signal authorship-record). */
  recordAgents: { source: string; agent: string }[];
  rows: AiLinesRow[];
  warnings: WarningRow[];
  untrackedLines: number;
}

type Commitish = Pick<ParsedCommit, 'sha' | 'message'> & { files: readonly { path: string; newRanges: readonly Range[] }[] };

/**
 * Every authorship record of one commit, resolved against the lines it added: ai_lines rows for
 * agent spans (agent set), human and untracked spans (agent null), and the agents for provenance.
 */
export function readRecords(commit: Commitish, ctx: Pick<CommitContext, 'notes' | 'treeTraces' | 'entireAgent'>): RecordReading {
  const read = readCommitRecords({ message: commit.message, notes: ctx.notes, treeTraces: ctx.treeTraces });
  const added = new Map<string, Range[]>();
  for (const f of commit.files) added.set(f.path, normalizeRanges([...(added.get(f.path) ?? []), ...f.newRanges]));
  const resolved = resolveAttribution(read.records, added);
  const warnings: WarningRow[] = read.warnings.map((w) => ({ sha: commit.sha, path: '', code: w.code, message: w.message }));
  const gitAiAgents = [...new Set(read.records.filter((r) => r.source === 'git-ai').flatMap((r) => r.spans.flatMap((s) => (s.agent ? [s.agent] : []))))];
  const recordAgents: RecordReading['recordAgents'] = [];
  for (const r of read.records) {
    if (r.source === 'git-ai') continue;
    const named = [...r.agents, ...r.spans.flatMap((s) => (s.agent ? [s.agent] : []))].map((a) => (a === 'unknown' && r.source === 'entire' && ctx.entireAgent ? ctx.entireAgent : a));
    for (const agent of new Set(named)) recordAgents.push({ source: r.source, agent });
  }
  return { gitAiAgents, recordAgents, rows: spanRows(commit.sha, resolved.spans), warnings, untrackedLines: resolved.counts.untracked };
}

/** One row per (path, key): agent rows keep the record's key, human rows `h…`, untracked lines one `~untracked` row. */
function spanRows(sha: string, spans: readonly LineSpan[]): AiLinesRow[] {
  const byKey = new Map<string, { path: string; session: string; agent: string | null; model: string | null; ranges: Range[] }>();
  for (const s of spans) {
    const session = s.author === 'agent' ? s.key : s.author === 'human' ? (s.key.startsWith('h_') ? s.key : `h:${s.key}`) : UNTRACKED_KEY;
    const id = `${s.path}\0${session}`;
    const row = byKey.get(id);
    if (row) row.ranges = normalizeRanges([...row.ranges, ...s.ranges]);
    else byKey.set(id, { path: s.path, session, agent: s.author === 'agent' ? s.agent : null, model: s.author === 'agent' ? s.model : null, ranges: [...s.ranges] });
  }
  return [...byKey.values()].map((r) => ({ sha, path: r.path, session: r.session, agent: r.agent, model: r.model, ranges: formatRanges(r.ranges) }));
}

export function provenanceFor(
  parsed: Pick<ParsedCommit, 'authorName' | 'authorEmail' | 'committerName' | 'committerEmail' | 'message'>,
  branches: string[],
  agents: string[],
  prAuthorLogin: string | null = null,
  recordAgents: { source: string; agent: string }[] = [],
) {
  return classifyCommit({
    recordAgents,
    prAuthorLogin,
    authorName: parsed.authorName,
    authorEmail: parsed.authorEmail,
    committerName: parsed.committerName,
    committerEmail: parsed.committerEmail,
    message: parsed.message,
    branches,
    gitAiAgents: agents,
  });
}

export function commitToRows(parsed: ParsedCommit, ctx: CommitContext): CommitRows {
  const records = readRecords(ctx.baseline ? { ...parsed, files: [] } : parsed, ctx);
  const p = provenanceFor(parsed, ctx.branches, records.gitAiAgents, null, records.recordAgents);
  const subject = subjectOf(parsed.message);
  const warnings: WarningRow[] = [...records.warnings];
  const isMerge = parsed.parents.length > 1;
  if (ctx.baseline) {
    warnings.push({ sha: parsed.sha, path: '', code: 'shallow-boundary', message: 'shallow clone boundary: its tree is read as the baseline, not as changes' });
  }
  const files = (ctx.baseline ? [] : parsed.files).map((f, idx): FileChangeRow => {
    const missing = ctx.missingBlobs && ((f.oldBlob && ctx.missingBlobs.has(f.oldBlob)) || (f.newBlob && ctx.missingBlobs.has(f.newBlob)));
    if (missing) {
      warnings.push({ sha: parsed.sha, path: f.path, code: 'missing-blob', message: `blob of ${f.path} is missing from the object store; line counts unknown` });
    }
    return {
      sha: parsed.sha,
      idx,
      path: f.path,
      oldPath: f.oldPath,
      status: f.status,
      similarity: f.similarity,
      added: missing ? null : f.added,
      deleted: missing ? null : f.deleted,
      binary: f.binary,
      oldBlob: f.oldBlob,
      newBlob: f.newBlob,
      newRanges: missing ? '' : formatRanges(f.newRanges),
      oldRanges: missing ? '' : formatRanges(f.oldRanges),
      viaMerge: isMerge,
    };
  });
  return {
    commit: {
      sha: parsed.sha,
      seq: ctx.seq,
      parents: JSON.stringify(parsed.parents),
      authorName: parsed.authorName,
      authorEmail: parsed.authorEmail,
      authorDate: parsed.authorDate,
      committerName: parsed.committerName,
      committerEmail: parsed.committerEmail,
      committerDate: parsed.committerDate,
      subject,
      message: parsed.message,
      prNumber: prNumberFromSubject(subject),
      branches: JSON.stringify(ctx.branches),
      kind: p.kind,
      agent: p.agent,
      confidence: p.confidence,
      evidence: JSON.stringify(p.evidence),
      analyzed: 0,
    },
    files,
    aiLines: records.rows,
    warnings,
  };
}
