/**
 * Pages through a repository's pull requests, newest update first, down to a cursor (`since`),
 * following nested connections (commits, files, reviews, review comments) past their first page.
 * Partial GraphQL errors never abort: the data that came is kept and what is missing is described
 * ("PR #12 reviews: <message>").
 */
import { GraspError } from '../core/errors.ts';
import type { z } from 'zod';
import type { GithubClient, GraphqlIssue, GraphqlResult } from './client.ts';
import { epochSeconds, normalizePullRequest, type PrSnapshot } from './normalize.ts';
import { PR_COMMITS_PAGE_QUERY, PR_FILES_PAGE_QUERY, PR_REVIEWS_PAGE_QUERY, REVIEW_COMMENTS_PAGE_QUERY } from './queries/pr-connections.ts';
import { PULL_REQUESTS_PAGE_QUERY } from './queries/pull-requests.ts';
import {
  commitsPageSchema,
  filesPageSchema,
  parseGithub,
  pullRequestSchema,
  pullRequestsPageSchema,
  reviewCommentsPageSchema,
  reviewSchema,
  reviewsPageSchema,
  type GqlPrCommit,
  type GqlPullRequest,
  type GqlReview,
  type GqlReviewComment,
} from './response-schemas.ts';

export interface FetchOptions {
  owner: string;
  name: string;
  /** Epoch seconds: stop at pull requests last updated before this. null = everything. */
  since: number | null;
  pageSize?: number;
  /** Bound on follow-up pages per nested list (100 items each). */
  maxNestedPages?: number;
}

export interface FetchedPage {
  snapshots: PrSnapshot[];
  missing: string[];
  viewerLogin: string | null;
  /** Highest updatedAt (epoch s) among the pull requests on this page. */
  maxUpdatedAt: number | null;
}

function describe(issue: GraphqlIssue, where: string): string {
  return `${where}: ${issue.message}`;
}

/** "reviews.comments" from a path tail such as ['reviews', 'nodes', 0, 'comments']. */
function fieldTrail(path: readonly (string | number)[]): string {
  return path.filter((p) => typeof p === 'string' && p !== 'nodes').join('.') || 'the pull request';
}

export async function* fetchPullRequestPages(client: GithubClient, opts: FetchOptions): AsyncGenerator<FetchedPage> {
  const pageSize = opts.pageSize ?? 10;
  let after: string | null = null;
  for (let page = 1; ; page++) {
    const res: GraphqlResult<unknown> = await client.request<unknown>(PULL_REQUESTS_PAGE_QUERY, { owner: opts.owner, name: opts.name, first: pageSize, after });
    const data: z.infer<typeof pullRequestsPageSchema> = parseGithub(pullRequestsPageSchema, res.data, 'the pull request list');
    if (!data.repository) {
      const why = res.errors.map((e) => e.message).join('; ');
      throw new GraspError('not-found', `GitHub repository ${opts.owner}/${opts.name} not found or not visible to this token${why ? `: ${why}` : ''}`);
    }
    const rawNodes = data.repository.pullRequests.nodes ?? [];
    const missing: string[] = [];
    // Errors on this page, by PR position: ['repository','pullRequests','nodes',3,...].
    for (const issue of res.errors) {
      const path = issue.path ?? [];
      const at = path.indexOf('nodes');
      const index = at >= 0 ? path[at + 1] : undefined;
      if (path[1] === 'pullRequests' && typeof index === 'number') {
        const num = (rawNodes[index] as { number?: unknown } | null)?.number;
        const label = typeof num === 'number' ? `PR #${num}` : `pull request ${index + 1} of page ${page}`;
        missing.push(describe(issue, typeof num === 'number' ? `${label} ${fieldTrail(path.slice(at + 2))}` : label));
      } else {
        missing.push(describe(issue, `page ${page} of pull requests`));
      }
    }
    const snapshots: PrSnapshot[] = [];
    let maxUpdatedAt: number | null = null;
    let reachedCursor = false;
    for (const raw of rawNodes) {
      if (raw === null) continue; // already reported through its error
      const parsed = pullRequestSchema.safeParse(raw);
      if (!parsed.success) {
        const num = (raw as { number?: unknown }).number;
        missing.push(`PR ${typeof num === 'number' ? `#${num}` : `on page ${page}`}: unexpected shape, skipped`);
        continue;
      }
      const pr = parsed.data;
      const updatedAt = epochSeconds(pr.updatedAt);
      if (opts.since !== null && updatedAt < opts.since) {
        reachedCursor = true;
        break;
      }
      maxUpdatedAt = maxUpdatedAt === null ? updatedAt : Math.max(maxUpdatedAt, updatedAt);
      snapshots.push(await completePullRequest(client, opts, pr, missing));
    }
    yield { snapshots, missing, viewerLogin: data.viewer?.login ?? null, maxUpdatedAt };
    const info: { hasNextPage: boolean; endCursor: string | null } = data.repository.pullRequests.pageInfo;
    if (reachedCursor || !info.hasNextPage || !info.endCursor) return;
    after = info.endCursor;
  }
}

/** Follows every nested connection of one pull request that has more than its first page. */
async function completePullRequest(client: GithubClient, opts: FetchOptions, pr: GqlPullRequest, missing: string[]): Promise<PrSnapshot> {
  const maxPages = opts.maxNestedPages ?? 50;
  const label = `PR #${pr.number}`;
  const vars = { owner: opts.owner, name: opts.name, number: pr.number };
  const complete = { commits: true, files: pr.files !== null, reviewRequests: pr.reviewRequests !== null };
  // Errors beside data on a follow-up page: the page is used, the gap reported, the list no longer complete.
  const partial = new Set<string>();
  const noteErrors = (errors: GraphqlIssue[], field: string) => {
    if (errors.length > 0) partial.add(field);
    missing.push(...errors.map((e) => describe(e, `${label} ${field}`)));
  };

  async function follow<N>(
    field: string,
    first: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null,
    fetchPage: (after: string) => Promise<{ nodes: N[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | string>,
  ): Promise<{ nodes: N[]; complete: boolean }> {
    const nodes: N[] = [];
    let info = first?.pageInfo;
    for (let n = 0; info?.hasNextPage && info.endCursor; n++) {
      if (n >= maxPages) {
        missing.push(`${label} ${field}: more than ${maxPages + 1} pages, the rest skipped`);
        return { nodes, complete: false };
      }
      const page = await fetchPage(info.endCursor);
      if (typeof page === 'string') {
        missing.push(`${label} ${field}: ${page}`);
        return { nodes, complete: false };
      }
      nodes.push(...page.nodes);
      info = page.pageInfo;
    }
    return { nodes, complete: true };
  }

  const commits = await follow<GqlPrCommit>('commits', pr.commits, async (after) => {
    const res = await client.request<unknown>(PR_COMMITS_PAGE_QUERY, { ...vars, after });
    const conn = parseGithub(commitsPageSchema, res.data, `${label} commits`).repository?.pullRequest?.commits;
    if (!conn) return res.errors.map((e) => e.message).join('; ') || 'no data';
    noteErrors(res.errors, 'commits');
    return { nodes: (conn.nodes ?? []).filter((c) => c !== null), pageInfo: conn.pageInfo };
  });
  complete.commits = commits.complete && !partial.has('commits');

  const files = await follow<{ path: string; viewerViewedState: string }>('files', pr.files, async (after) => {
    const res = await client.request<unknown>(PR_FILES_PAGE_QUERY, { ...vars, after });
    const conn = parseGithub(filesPageSchema, res.data, `${label} files`).repository?.pullRequest?.files;
    if (!conn) return res.errors.map((e) => e.message).join('; ') || 'no data';
    noteErrors(res.errors, 'files');
    return { nodes: (conn.nodes ?? []).filter((f) => f !== null), pageInfo: conn.pageInfo };
  });
  complete.files &&= files.complete && !partial.has('files');

  const moreReviews = await follow<GqlReview>('reviews', pr.reviews, async (after) => {
    const res = await client.request<unknown>(PR_REVIEWS_PAGE_QUERY, { ...vars, after });
    const conn = parseGithub(reviewsPageSchema, res.data, `${label} reviews`).repository?.pullRequest?.reviews;
    if (!conn) return res.errors.map((e) => e.message).join('; ') || 'no data';
    noteErrors(res.errors, 'reviews');
    const nodes = (conn.nodes ?? []).filter((r) => r !== null).map((r) => parseGithub(reviewSchema, r, `${label} review`));
    return { nodes, pageInfo: conn.pageInfo as { hasNextPage: boolean; endCursor: string | null } };
  });

  // Each review's comments beyond the first 100.
  const reviews = [...(pr.reviews?.nodes ?? []).filter((r) => r !== null), ...moreReviews.nodes];
  const completedReviews: GqlReview[] = [];
  for (const review of reviews) {
    const more = await follow<GqlReviewComment>(`review ${review.id} comments`, review.comments, async (after) => {
      const res = await client.request<unknown>(REVIEW_COMMENTS_PAGE_QUERY, { id: review.id, after });
      const conn = parseGithub(reviewCommentsPageSchema, res.data, `${label} review comments`).node?.comments;
      if (!conn) return res.errors.map((e) => e.message).join('; ') || 'no data';
      noteErrors(res.errors, `review ${review.id} comments`);
      return { nodes: (conn.nodes ?? []).filter((c) => c !== null), pageInfo: conn.pageInfo };
    });
    const comments = review.comments ? { ...review.comments, nodes: [...(review.comments.nodes ?? []), ...more.nodes] } : review.comments;
    completedReviews.push({ ...review, comments });
  }

  const base: GqlPullRequest = { ...pr, reviews: pr.reviews ? { ...pr.reviews, nodes: [] } : null };
  return normalizePullRequest(base, { commits: commits.nodes, files: files.nodes, reviews: completedReviews }, complete);
}
