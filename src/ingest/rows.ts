/**
 * Pure reduction of a parsed git commit (plus notes and branch names) to database rows.
 * Kept free of I/O so the same model comes out whatever the source.
 */
import { agentLineRows, gitAiNoteAgents, parseGitAiNote } from '../core/git-ai-note.ts';
import { classifyCommit } from '../core/provenance.ts';
import { formatRanges } from '../core/ranges.ts';
import type { AiLinesRow, CommitRow, FileChangeRow, WarningRow } from '../db/repo/commits.ts';
import type { ParsedCommit } from '../git/log-parser.ts';

export interface CommitContext {
  seq: number;
  branches: string[];
  note: string | undefined;
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

export interface NoteReading {
  agents: string[];
  rows: AiLinesRow[];
  warning: WarningRow | null;
}

export function readNote(sha: string, note: string | undefined): NoteReading {
  if (note === undefined) return { agents: [], rows: [], warning: null };
  try {
    const parsed = parseGitAiNote(note);
    // Only agent sessions become ai_lines; git-ai also records lines of known humans.
    const rows: AiLinesRow[] = agentLineRows(parsed).map((r) => ({ sha, path: r.path, session: r.session, agent: r.agent, model: r.model, ranges: formatRanges(r.ranges) }));
    return { agents: gitAiNoteAgents(parsed), rows, warning: null };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { agents: [], rows: [], warning: { sha, path: '', code: 'malformed-git-ai-note', message: `git-ai note skipped: ${message}` } };
  }
}

export function provenanceFor(
  parsed: Pick<ParsedCommit, 'authorName' | 'authorEmail' | 'committerName' | 'committerEmail' | 'message'>,
  branches: string[],
  agents: string[],
  prAuthorLogin: string | null = null,
) {
  return classifyCommit({
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
  const note = readNote(parsed.sha, ctx.note);
  const p = provenanceFor(parsed, ctx.branches, note.agents);
  const subject = subjectOf(parsed.message);
  const warnings: WarningRow[] = note.warning ? [note.warning] : [];
  const isMerge = parsed.parents.length > 1;
  const files = parsed.files.map((f, idx): FileChangeRow => {
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
    aiLines: note.rows,
    warnings,
  };
}
