/**
 * Pure reduction of GitHub data (GraphQL responses here, webhook payloads in normalize-webhook.ts)
 * to the shared model rows. Everything downstream (credits, provenance, reports) reads only these
 * rows and never knows which source they came from.
 */
import type { PrCommitRow, PrSnapshot, PullRequestPatch, ReviewCommentRow, ReviewRow } from '../core/pull-request.ts';
import type { GqlPrCommit, GqlPullRequest, GqlReview, GqlReviewComment } from './response-schemas.ts';

export type { PrCommitRow, PrFileRow, PrReviewRequestRow, PrSnapshot, PullRequestPatch, PullRequestRow, ReviewCommentRow, ReviewRow } from '../core/pull-request.ts';

export function epochSeconds(iso: string): number;
export function epochSeconds(iso: string | null | undefined): number | null;
export function epochSeconds(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** GitHub ids: the database id (same number in GraphQL and webhooks), else the node id. */
export function githubId(databaseId: string | number | null | undefined, nodeId: string): string {
  return databaseId === null || databaseId === undefined ? nodeId : String(databaseId);
}

export function normalizeReviewState(state: string): string {
  return state.toUpperCase();
}

export function normalizeCommit(number: number, node: GqlPrCommit): PrCommitRow {
  const c = node.commit;
  const authors = (c.authors?.nodes ?? [])
    .filter((a): a is NonNullable<typeof a> => a !== null)
    .map((a) => ({ name: a.name ?? '', email: a.email ?? '', login: a.user?.login ?? null }));
  return {
    number,
    sha: c.oid,
    coAuthors: JSON.stringify(authors),
    // pushedDate is deprecated and mostly null nowadays; the commit date is the earliest it can have been pushed.
    pushedAt: epochSeconds(c.pushedDate ?? c.committedDate),
  };
}

export function normalizeReviewComment(number: number, reviewId: string, c: GqlReviewComment): ReviewCommentRow {
  return {
    id: githubId(c.fullDatabaseId, c.id),
    reviewId,
    number,
    authorLogin: c.author?.login ?? null,
    path: c.path,
    startLine: c.startLine,
    line: c.line,
    commitSha: c.commit?.oid ?? null,
    originalStartLine: c.originalStartLine,
    originalLine: c.originalLine,
    originalCommitSha: c.originalCommit?.oid ?? null,
    body: c.body,
    createdAt: epochSeconds(c.createdAt),
  };
}

export function normalizeReview(number: number, r: GqlReview): { review: ReviewRow; comments: ReviewCommentRow[] } {
  const id = githubId(r.fullDatabaseId, r.id);
  return {
    review: {
      id,
      number,
      authorLogin: r.author?.login ?? null,
      state: normalizeReviewState(r.state),
      submittedAt: epochSeconds(r.submittedAt),
      body: r.body,
      commitSha: r.commit?.oid ?? null,
    },
    comments: (r.comments?.nodes ?? []).filter((c) => c !== null).map((c) => normalizeReviewComment(number, id, c)),
  };
}

function reviewerName(r: { __typename: string; login?: string; slug?: string } | null): string | null {
  if (!r) return null;
  if (r.__typename === 'Team') return r.slug ? `team:${r.slug}` : null;
  return r.login ?? null;
}

/**
 * Latest push we can see: the newest commit's push (or commit) date and the last force push.
 * A force push can rewind to older commits, so its own time counts too.
 */
export function lastPushTime(commits: readonly PrCommitRow[], forcePushAt: number | null): number | null {
  let last = forcePushAt;
  for (const c of commits) if (c.pushedAt != null && (last === null || c.pushedAt > last)) last = c.pushedAt;
  return last;
}

/**
 * One pull request from the GraphQL query, with the extra pages of its nested lists. `complete`
 * says which lists were fetched in full; only those replace the stored set.
 */
export function normalizePullRequest(
  node: GqlPullRequest,
  extra: { commits?: GqlPrCommit[]; files?: { path: string; viewerViewedState: string }[]; reviews?: GqlReview[] } = {},
  complete: { commits: boolean; files: boolean; reviewRequests: boolean } = { commits: true, files: true, reviewRequests: true },
): PrSnapshot {
  const number = node.number;
  const commitNodes = [...(node.commits.nodes ?? []), ...(extra.commits ?? [])].filter((c) => c !== null);
  const commits = commitNodes.map((c) => normalizeCommit(number, c));
  const forcePush = (node.lastForcePush?.nodes ?? []).find((n) => n?.__typename === 'HeadRefForcePushedEvent');
  const files = [...(node.files?.nodes ?? []), ...(extra.files ?? [])]
    .filter((f) => f !== null)
    .map((f) => ({ number, path: f.path, viewerViewedState: f.viewerViewedState }));
  const requested = (node.reviewRequests?.nodes ?? [])
    .map((n) => reviewerName(n?.requestedReviewer ?? null))
    .filter((l): l is string => l !== null);
  const reviewRows: ReviewRow[] = [];
  const commentRows: ReviewCommentRow[] = [];
  for (const r of [...(node.reviews?.nodes ?? []), ...(extra.reviews ?? [])]) {
    if (!r) continue;
    const { review, comments } = normalizeReview(number, r);
    reviewRows.push(review);
    commentRows.push(...comments);
  }
  const pr: PullRequestPatch = {
    number,
    title: node.title,
    authorLogin: node.author?.login ?? null,
    state: node.state,
    headRef: node.headRefName,
    baseRef: node.baseRefName,
    headSha: node.headRefOid,
    baseSha: node.baseRefOid,
    createdAt: epochSeconds(node.createdAt),
    updatedAt: epochSeconds(node.updatedAt),
    mergedAt: epochSeconds(node.mergedAt),
    mergeSha: node.mergeCommit?.oid ?? null,
    lastPushAt: lastPushTime(commits, epochSeconds(forcePush?.createdAt ?? null)),
    additions: node.additions,
    deletions: node.deletions,
  };
  return {
    number,
    pr,
    commits: dedupeBy(commits, (c) => c.sha),
    files: dedupeBy(files, (f) => f.path),
    reviewRequests: [...new Set(requested)].map((login) => ({ number, login })),
    reviews: dedupeBy(reviewRows, (r) => r.id),
    reviewComments: dedupeBy(commentRows, (c) => c.id),
    replace: {
      commits: complete.commits,
      files: complete.files && node.files !== null,
      reviewRequests: complete.reviewRequests && node.reviewRequests !== null,
    },
  };
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}
