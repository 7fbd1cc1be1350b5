/**
 * Applies the credit rules (src/core/credit.ts) to stored pull requests: gathers the facts from
 * the database, flags rubber stamps on the reviews, and appends the credited marks. Idempotent:
 * marks carry an origin key, so running it again adds nothing.
 */
import { z } from 'zod';
import { creditReview, prSymbolsUpTo, type CommentFacts, type Credit, type VersionSymbol } from '../core/credit.ts';
import { getMeta } from '../db/repo/commits.ts';
import {
  appendGithubMarks,
  blobOfFileAt,
  blobSymbolsJson,
  commitSeq,
  currentSymbolsOfFile,
  engineersByLogin,
  getPrCommits,
  getPrFiles,
  getPullRequest,
  getReviewCommentsOf,
  getReviewsOf,
  ingestedPrCommits,
  listPullRequestNumbersWithReviews,
  META_VIEWER,
  setRubberStamp,
  symbolChangesOf,
  symbolIdsFor,
} from '../db/repo/github.ts';
import type { RepoStore } from '../db/store.ts';

export interface RubberStampEntry {
  number: number;
  reviewId: string;
  login: string | null;
  reason: string;
}

export interface CreditReport {
  pullRequests: number;
  reviews: number;
  rubberStamps: RubberStampEntry[];
  /** New marks appended (repeats are not counted). */
  marksAdded: number;
  /** Credits for logins no engineer is linked to (`grasp engineers` links them); nothing recorded. */
  unknownLogins: string[];
  notes: string[];
}

const blobSymbolsSchema = z.array(
  z.looseObject({ name: z.string(), startLine: z.number().int(), endLine: z.number().int(), hash: z.string() }),
);

/** Runs the rules on the given pull requests (default: every stored PR with a review). */
export async function applyReviewRules(
  store: RepoStore,
  opts: { numbers?: readonly number[]; viewerLogin?: string | null; now?: number } = {},
): Promise<CreditReport> {
  const numbers = opts.numbers ? [...new Set(opts.numbers)] : await listPullRequestNumbersWithReviews(store);
  const viewer = opts.viewerLogin !== undefined ? opts.viewerLogin : await getMeta(store, META_VIEWER);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const report: CreditReport = { pullRequests: 0, reviews: 0, rubberStamps: [], marksAdded: 0, unknownLogins: [], notes: [] };
  const blobCache = new Map<string, VersionSymbol[] | null>();
  const credits: Credit[] = [];

  async function symbolsOfBlob(blob: string): Promise<VersionSymbol[] | null> {
    if (!blobCache.has(blob)) {
      const json = await blobSymbolsJson(store, blob);
      const parsed = json === null ? null : blobSymbolsSchema.safeParse(JSON.parse(json));
      blobCache.set(blob, parsed?.success ? parsed.data : null);
    }
    return blobCache.get(blob) ?? null;
  }

  for (const number of numbers) {
    const pr = await getPullRequest(store, number);
    if (!pr) continue;
    report.pullRequests++;
    const [reviewRows, commentRows, fileRows, commitRows, ingested] = await Promise.all([
      getReviewsOf(store, number),
      getReviewCommentsOf(store, number),
      getPrFiles(store, number),
      getPrCommits(store, number),
      ingestedPrCommits(store, number),
    ]);
    const pushTimes = [...commitRows.map((c) => c.pushedAt), pr.lastPushAt].filter((t): t is number => t !== null);
    const analyzed = ingested.filter((c) => c.analyzed);
    const seqBySha = new Map(ingested.map((c) => [c.sha, c.seq]));
    const changes =
      analyzed.length === 0
        ? null
        : (await symbolChangesOf(store, analyzed.map((c) => c.sha))).map((c) => ({ ...c, seq: seqBySha.get(c.sha) ?? 0 }));

    // Each comment's symbols as its author saw them.
    const facts = new Map<string, CommentFacts>();
    for (const c of commentRows) {
      const original = c.originalLine !== null && c.originalCommitSha !== null;
      const line = original ? c.originalLine : c.line;
      const sha = original ? c.originalCommitSha : c.commitSha;
      const start = (original ? c.originalStartLine : c.startLine) ?? line;
      let version: CommentFacts['version'] = null;
      if (line !== null && sha !== null) {
        const at = await blobOfFileAt(store, sha, c.path, ingested);
        const syms = at?.blob ? await symbolsOfBlob(at.blob) : null;
        if (syms) version = { symbols: syms, source: 'commit', sha };
        else {
          const current = await currentSymbolsOfFile(store, c.path);
          if (current.length > 0) version = { symbols: current, source: 'current', sha };
        }
      }
      facts.set(c.id, {
        id: c.id,
        authorLogin: c.authorLogin,
        path: c.path,
        createdAt: c.createdAt,
        lines: line !== null && start !== null ? { start, end: line } : null,
        version,
      });
    }

    for (const review of reviewRows) {
      report.reviews++;
      const own = commentRows.filter((c) => c.reviewId === review.id);
      const reviewer = review.authorLogin?.toLowerCase() ?? null;
      const uptoSeq = review.commitSha ? (seqBySha.get(review.commitSha) ?? (await commitSeq(store, review.commitSha))) : null;
      const result = creditReview({
        review: { ...review, commentCount: own.length },
        pr: { number, authorLogin: pr.authorLogin, additions: pr.additions, deletions: pr.deletions, pushTimes },
        comments: own.map((c) => facts.get(c.id)!),
        prSymbols: changes === null ? null : prSymbolsUpTo(changes, uptoSeq),
        reviewerCommentedFiles: commentRows.filter((c) => c.authorLogin?.toLowerCase() === reviewer).map((c) => c.path),
        reviewerViewedFiles:
          reviewer !== null && viewer?.toLowerCase() === reviewer ? fileRows.filter((f) => f.viewerViewedState === 'VIEWED').map((f) => f.path) : null,
        now,
      });
      if (result.verdict.rubberStamp !== review.rubberStamp || result.verdict.reason !== review.rubberStampReason) {
        await setRubberStamp(store, review.id, result.verdict.rubberStamp, result.verdict.reason);
      }
      if (result.verdict.rubberStamp) {
        report.rubberStamps.push({ number, reviewId: review.id, login: review.authorLogin, reason: result.verdict.reason ?? '' });
      }
      credits.push(...result.credits);
      report.notes.push(...result.notes);
    }
  }

  const engineerIds = await engineersByLogin(store, credits.map((c) => c.login));
  const symbolIds = await symbolIdsFor(store, credits);
  const unknown = new Set<string>();
  const rows = [];
  for (const c of credits) {
    const engineerId = engineerIds.get(c.login.toLowerCase());
    if (engineerId === undefined) {
      unknown.add(c.login);
      continue;
    }
    rows.push({
      engineerId,
      symbolId: symbolIds.get(`${c.file}\u0000${c.name}`) ?? null,
      file: c.file,
      name: c.name,
      hash: c.hash,
      level: c.level,
      note: c.why,
      target: c.target,
      origin: c.origin,
      createdAt: c.createdAt,
    });
  }
  report.marksAdded = await appendGithubMarks(store, rows);
  report.unknownLogins = [...unknown].sort();
  return report;
}
