/**
 * How GitHub reviews become understanding marks, and when an approval is a rubber stamp.
 * Pure rules over facts the caller gathered; no I/O.
 *
 * Credit rules
 * 1. Line comments. A review comment on lines inside a symbol credits its author `reviewed` on that
 *    symbol, at the content hash the symbol had in the commit the comment was written on
 *    (GitHub's originalCommit/originalLine; the comment's current commit/line when the original is
 *    not given). Each commented line credits the innermost symbol around it (a method, not its
 *    whole class). When that commit's version of the file is not in the database (e.g. a
 *    squash-merged branch that was never fetched), the symbol at the same file and line at head is
 *    used instead, and the sync report says so. Comments on a whole file, outside any symbol, by the
 *    PR's own author, or in a pending review credit nothing.
 * 2. Approvals. An approval credits the reviewer `viewed` — not `reviewed` — on every symbol the
 *    pull request changed, at the version the approval was given on. It credits `reviewed` instead
 *    on the symbols of files the reviewer commented in, or ticked "Viewed" in GitHub's UI. GitHub
 *    only reveals the "Viewed" ticks of the token's own user (viewerViewedState), so that part only
 *    ever applies to the reviewer who owns the sync token.
 * 3. Rubber stamps. An approval with no comments at all (no line comments and an empty body) is a
 *    rubber stamp when the pull request changes more than 300 lines (additions + deletions), or when
 *    it came sooner after the last push than one minute per 100 changed lines. A rubber stamp is
 *    recorded on the review with its reason, shown in reports, and credits nothing.
 * Dismissed approvals credit nothing; their line comments still count.
 * Credits become marks with source 'github' and an idempotency origin (`review:<id>`,
 * `review-comment:<id>`), so a re-sync or a replayed webhook never adds a mark twice.
 */
import type { MarkLevel } from './marks.ts';

export const RUBBER_STAMP_MAX_SILENT_LINES = 300;
/** Minimum review time: this many seconds per 100 changed lines after the last push. */
export const SECONDS_PER_100_LINES = 60;

export interface ReviewFacts {
  id: string;
  /** APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING */
  state: string;
  authorLogin: string | null;
  /** Epoch seconds. */
  submittedAt: number | null;
  body: string;
  /** Line comments that belong to this review. */
  commentCount: number;
}

export interface PrFacts {
  number: number;
  authorLogin: string | null;
  additions: number;
  deletions: number;
  /** Every push time we know for the head branch (epoch seconds). */
  pushTimes: readonly number[];
}

export interface RubberStampVerdict {
  rubberStamp: boolean;
  reason: string | null;
}

/** The latest push at or before `at`; pushes after the review don't count against it. */
export function lastPushBefore(pushTimes: readonly number[], at: number): number | null {
  let last: number | null = null;
  for (const t of pushTimes) if (t <= at && (last === null || t > last)) last = t;
  return last;
}

export function detectRubberStamp(review: ReviewFacts, pr: PrFacts): RubberStampVerdict {
  const no: RubberStampVerdict = { rubberStamp: false, reason: null };
  if (review.state !== 'APPROVED') return no;
  if (review.commentCount > 0 || review.body.trim() !== '') return no;
  const changed = Math.max(0, pr.additions) + Math.max(0, pr.deletions);
  if (changed > RUBBER_STAMP_MAX_SILENT_LINES) {
    return { rubberStamp: true, reason: `approved ${changed} changed lines without a single comment` };
  }
  if (review.submittedAt === null) return no;
  const push = lastPushBefore(pr.pushTimes, review.submittedAt);
  if (push === null) return no;
  const needed = (changed / 100) * SECONDS_PER_100_LINES;
  const took = review.submittedAt - push;
  if (took < needed) {
    return {
      rubberStamp: true,
      reason: `approved ${took} s after the last push, without a comment; ${changed} changed lines call for at least ${Math.ceil(needed)} s`,
    };
  }
  return no;
}

// ------------------------------------------------------------------------------ symbol matching

export interface VersionSymbol {
  name: string;
  kind?: string;
  startLine: number;
  endLine: number;
  hash: string;
}

/** The `(module)` symbol spans the whole file but owns only the lines outside every other symbol. */
function span(s: VersionSymbol): number {
  return s.kind === 'module' || s.name === '(module)' ? Number.POSITIVE_INFINITY : s.endLine - s.startLine;
}

/** For each line of [start, end], the innermost symbol containing it (smallest span); deduplicated. */
export function innermostSymbolsForLines<S extends VersionSymbol>(symbols: readonly S[], start: number, end: number): S[] {
  const lo = Math.max(1, Math.min(start, end));
  const hi = Math.max(start, end);
  const out = new Map<string, S>();
  const inRange = symbols.filter((s) => s.startLine <= hi && s.endLine >= lo);
  for (let line = lo; line <= hi; line++) {
    let best: S | null = null;
    for (const s of inRange) {
      if (s.startLine > line || s.endLine < line) continue;
      if (!best || span(s) < span(best)) best = s;
    }
    if (best) out.set(best.name, best);
  }
  return [...out.values()];
}

export interface SymbolChangeFact {
  file: string;
  name: string;
  oldFile: string | null;
  oldName: string | null;
  hash: string | null;
  change: 'added' | 'modified' | 'deleted' | 'moved';
  /** Topological position of the commit. */
  seq: number;
}

export interface PrSymbol {
  file: string;
  name: string;
  hash: string;
}

/**
 * The symbols a pull request changed, each at its latest version up to `uptoSeq` (the commit an
 * approval was given on; null = all). Deleted symbols drop out; a moved symbol keeps only its new place.
 */
export function prSymbolsUpTo(changes: readonly SymbolChangeFact[], uptoSeq: number | null): PrSymbol[] {
  const latest = new Map<string, PrSymbol>();
  const ordered = changes.filter((c) => uptoSeq === null || c.seq <= uptoSeq).slice().sort((a, b) => a.seq - b.seq);
  for (const c of ordered) {
    const key = `${c.file}\u0000${c.name}`;
    if (c.change === 'moved' && c.oldFile !== null && c.oldName !== null) latest.delete(`${c.oldFile}\u0000${c.oldName}`);
    if (c.change === 'deleted' || c.hash === null) latest.delete(key);
    else latest.set(key, { file: c.file, name: c.name, hash: c.hash });
  }
  return [...latest.values()].sort((a, b) => (a.file === b.file ? a.name.localeCompare(b.name) : a.file.localeCompare(b.file)));
}

// ------------------------------------------------------------------------------ credits

export interface CommentFacts {
  id: string;
  authorLogin: string | null;
  path: string;
  createdAt: number | null;
  /** Commented lines in `version`'s file; null for a comment on the whole file. */
  lines: { start: number; end: number } | null;
  /** The symbols of the file as the comment saw it; null when unknown. */
  version: { symbols: readonly VersionSymbol[]; source: 'commit' | 'current'; sha: string | null } | null;
}

export interface ReviewCreditInput {
  review: ReviewFacts;
  pr: PrFacts;
  /** This review's line comments. */
  comments: readonly CommentFacts[];
  /** Symbols the PR changed at the approved version; null when none of its commits are analyzed. */
  prSymbols: readonly PrSymbol[] | null;
  /** Files the reviewer left line comments on anywhere in this pull request. */
  reviewerCommentedFiles: readonly string[];
  /** Files the reviewer ticked "Viewed"; null when unknowable (the reviewer is not the token's user). */
  reviewerViewedFiles: readonly string[] | null;
  /** Epoch seconds, for a credit whose event has no time. */
  now: number;
}

export interface Credit {
  login: string;
  file: string;
  name: string;
  hash: string;
  level: Extract<MarkLevel, 'viewed' | 'reviewed'>;
  /** Idempotency key of the mark. */
  origin: string;
  /** The mark's target text: `file#name` for a comment, `pr:N` for an approval. */
  target: string;
  createdAt: number;
  why: string;
}

export interface ReviewCreditResult {
  verdict: RubberStampVerdict;
  credits: Credit[];
  notes: string[];
}

const same = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

export function creditReview(input: ReviewCreditInput): ReviewCreditResult {
  const { review, pr } = input;
  const credits: Credit[] = [];
  const notes: string[] = [];
  if (review.state === 'PENDING') return { verdict: { rubberStamp: false, reason: null }, credits, notes };
  const verdict = detectRubberStamp(review, pr);

  for (const c of input.comments) {
    if (!c.authorLogin) continue;
    if (same(c.authorLogin, pr.authorLogin)) continue; // the author answering, not reviewing
    if (!c.lines) continue; // a comment on the whole file names no symbol
    if (!c.version) {
      notes.push(`PR #${pr.number} comment ${c.id} on ${c.path}:${c.lines.end}: no analyzed version of the file, credits nothing`);
      continue;
    }
    if (c.version.source === 'current') {
      notes.push(`PR #${pr.number} comment ${c.id} on ${c.path}:${c.lines.end}: ${c.version.sha ?? 'its commit'}'s version of the file is unknown; credited the symbol at that line at head`);
    }
    for (const s of innermostSymbolsForLines(c.version.symbols, c.lines.start, c.lines.end)) {
      credits.push({
        login: c.authorLogin,
        file: c.path,
        name: s.name,
        hash: s.hash,
        level: 'reviewed',
        origin: `review-comment:${c.id}`,
        target: `${c.path}#${s.name}`,
        createdAt: c.createdAt ?? review.submittedAt ?? input.now,
        why: `commented on ${c.path}:${c.lines.start === c.lines.end ? c.lines.end : `${c.lines.start}-${c.lines.end}`} in PR #${pr.number}`,
      });
    }
  }

  if (review.state !== 'APPROVED' || !review.authorLogin) return { verdict, credits, notes };
  if (verdict.rubberStamp) {
    notes.push(`PR #${pr.number} approval by ${review.authorLogin} is a rubber stamp (${verdict.reason}): credits nothing`);
    return { verdict, credits, notes };
  }
  if (input.prSymbols === null) {
    notes.push(`PR #${pr.number}: none of its commits are analyzed yet; the approval by ${review.authorLogin} credits nothing for now`);
    return { verdict, credits, notes };
  }
  const engaged = new Set([...input.reviewerCommentedFiles, ...(input.reviewerViewedFiles ?? [])]);
  for (const s of input.prSymbols) {
    const deep = engaged.has(s.file);
    credits.push({
      login: review.authorLogin,
      file: s.file,
      name: s.name,
      hash: s.hash,
      level: deep ? 'reviewed' : 'viewed',
      origin: `review:${review.id}`,
      target: `pr:${pr.number}`,
      createdAt: review.submittedAt ?? input.now,
      why: deep ? `approved PR #${pr.number} after commenting on or viewing ${s.file}` : `approved PR #${pr.number}`,
    });
  }
  return { verdict, credits, notes };
}
