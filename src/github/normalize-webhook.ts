/**
 * Webhook payloads (pull_request, pull_request_review, pull_request_review_comment, push) reduced
 * to the same PrSnapshot rows the GraphQL sync produces. Payloads are validated with zod (only the
 * fields we use; the full types are @octokit/webhooks-types). Webhook states are lower-case
 * ("approved", "open"); the model keeps GraphQL's upper-case enums.
 */
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';
import { epochSeconds, normalizeReviewState, type PrSnapshot, type PullRequestPatch, type ReviewCommentRow } from './normalize.ts';

const user = z.object({ login: z.string() }).nullable().optional();
/** Epoch seconds GitHub could send: 1970 to 2100 (a 1e308 would overflow every date downstream). */
const MAX_EPOCH_SECONDS = 4_102_444_800;
const epoch = z.number().int().min(0).max(MAX_EPOCH_SECONDS);
/** An ISO-8601 timestamp that parses, in the same range. */
const date = z
  .string()
  .max(40)
  .refine((s) => {
    const ms = Date.parse(s);
    return Number.isFinite(ms) && ms >= 0 && ms <= MAX_EPOCH_SECONDS * 1000;
  }, 'expected an ISO-8601 date');
const count = z.number().int().min(0).max(1_000_000_000);
const id = z.union([z.number().int(), z.string().min(1).max(64)]);
const int = z.number().int().min(0).max(100_000_000).nullable().optional();

const pullRequest = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  state: z.string(),
  user,
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string(), sha: z.string() }),
  created_at: date,
  updated_at: date,
  merged_at: date.nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  additions: count.optional(),
  deletions: count.optional(),
  requested_reviewers: z.array(z.object({ login: z.string().optional(), slug: z.string().optional() })).optional(),
  requested_teams: z.array(z.object({ slug: z.string() })).optional(),
});

const repository = z.object({ full_name: z.string() }).optional();

const review = z.object({
  id,
  user,
  body: z.string().nullable().optional(),
  commit_id: z.string().nullable().optional(),
  submitted_at: date.nullable().optional(),
  state: z.string(),
});

const reviewComment = z.object({
  id,
  pull_request_review_id: id.nullable().optional(),
  user,
  path: z.string(),
  start_line: int,
  line: int,
  commit_id: z.string().nullable().optional(),
  original_start_line: int,
  original_line: int,
  original_commit_id: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  created_at: date.nullable().optional(),
});

export const pullRequestEventSchema = z.object({ action: z.string(), pull_request: pullRequest, repository });
export const pullRequestReviewEventSchema = z.object({ action: z.string(), pull_request: pullRequest, review, repository });
export const pullRequestReviewCommentEventSchema = z.object({ action: z.string(), pull_request: pullRequest, comment: reviewComment, repository });
export const pushEventSchema = z.object({
  ref: z.string(),
  repository: z.object({ full_name: z.string(), pushed_at: z.union([epoch, date]).nullable().optional() }),
  head_commit: z.object({ timestamp: date }).nullable().optional(),
});

export type WebhookPullRequest = z.infer<typeof pullRequest>;

function parsePayload<T extends z.ZodType>(schema: T, payload: unknown, event: string): z.infer<T> {
  const r = schema.safeParse(payload);
  if (!r.success) throw new GraspError('invalid', `malformed ${event} payload: ${z.prettifyError(r.error).slice(0, 500)}`);
  return r.data;
}

function prPatch(pr: WebhookPullRequest): PullRequestPatch {
  const merged = pr.merged_at ?? null;
  return {
    number: pr.number,
    title: pr.title,
    authorLogin: pr.user?.login ?? null,
    state: merged ? 'MERGED' : pr.state.toUpperCase(),
    headRef: pr.head.ref,
    baseRef: pr.base.ref,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    createdAt: epochSeconds(pr.created_at) ?? 0,
    updatedAt: epochSeconds(pr.updated_at) ?? 0,
    mergedAt: epochSeconds(merged),
    // Before the merge, merge_commit_sha is GitHub's trial merge: not a commit of the repository's history.
    mergeSha: merged ? (pr.merge_commit_sha ?? null) : undefined,
    additions: pr.additions,
    deletions: pr.deletions,
  };
}

export function snapshotFromPullRequestEvent(payload: unknown): PrSnapshot {
  const e = parsePayload(pullRequestEventSchema, payload, 'pull_request');
  const pr = prPatch(e.pull_request);
  // "synchronize" is GitHub's word for a push to the head branch.
  if (e.action === 'synchronize') pr.lastPushAt = pr.updatedAt;
  const requested = [
    ...(e.pull_request.requested_reviewers ?? []).map((r) => r.login ?? (r.slug ? `team:${r.slug}` : null)),
    ...(e.pull_request.requested_teams ?? []).map((t) => `team:${t.slug}`),
  ].filter((l): l is string => l !== null);
  const hasRequests = e.pull_request.requested_reviewers !== undefined;
  return {
    number: pr.number,
    pr,
    reviewRequests: hasRequests ? [...new Set(requested)].map((login) => ({ number: pr.number, login })) : undefined,
    replace: { reviewRequests: hasRequests },
  };
}

export function snapshotFromReviewEvent(payload: unknown): PrSnapshot {
  const e = parsePayload(pullRequestReviewEventSchema, payload, 'pull_request_review');
  const pr = prPatch(e.pull_request);
  const r = e.review;
  return {
    number: pr.number,
    pr,
    reviews: [
      {
        id: String(r.id),
        number: pr.number,
        authorLogin: r.user?.login ?? null,
        state: normalizeReviewState(r.state),
        submittedAt: epochSeconds(r.submitted_at ?? null),
        body: r.body ?? '',
        commitSha: r.commit_id ?? null,
      },
    ],
  };
}

export function snapshotFromReviewCommentEvent(payload: unknown): PrSnapshot {
  const e = parsePayload(pullRequestReviewCommentEventSchema, payload, 'pull_request_review_comment');
  const pr = prPatch(e.pull_request);
  const c = e.comment;
  if (e.action === 'deleted') return { number: pr.number, pr, deletedReviewCommentIds: [String(c.id)] };
  const row: ReviewCommentRow = {
    id: String(c.id),
    reviewId: c.pull_request_review_id === null || c.pull_request_review_id === undefined ? '' : String(c.pull_request_review_id),
    number: pr.number,
    authorLogin: c.user?.login ?? null,
    path: c.path,
    startLine: c.start_line ?? null,
    line: c.line ?? null,
    commitSha: c.commit_id ?? null,
    originalStartLine: c.original_start_line ?? null,
    originalLine: c.original_line ?? null,
    originalCommitSha: c.original_commit_id ?? null,
    body: c.body ?? '',
    createdAt: epochSeconds(c.created_at ?? null),
  };
  return { number: pr.number, pr, reviewComments: [row] };
}

export interface PushFacts {
  repository: string;
  /** Branch name without refs/heads/; null for tags and other refs. */
  branch: string | null;
  at: number;
}

export function pushFacts(payload: unknown, nowSeconds: number): PushFacts {
  const e = parsePayload(pushEventSchema, payload, 'push');
  const branch = e.ref.startsWith('refs/heads/') ? e.ref.slice('refs/heads/'.length) : null;
  const pushed = e.repository.pushed_at;
  const at = typeof pushed === 'number' ? pushed : (epochSeconds(pushed ?? e.head_commit?.timestamp ?? null) ?? nowSeconds);
  return { repository: e.repository.full_name, branch, at };
}

/** The repository a payload is about ("owner/name"), when it says. */
export function payloadRepository(payload: unknown): string | null {
  const r = z.object({ repository: z.object({ full_name: z.string() }) }).safeParse(payload);
  return r.success ? r.data.repository.full_name : null;
}

const checkRunEvent = z.object({
  action: z.string(),
  check_run: z.object({
    name: z.string(),
    node_id: z.string().max(200).optional(),
    head_sha: z.string().regex(/^[0-9a-f]{40}$/),
    pull_requests: z.array(z.object({ number: z.number().int().positive() })).max(100).default([]),
  }),
  repository: z.object({ node_id: z.string().max(200).optional() }).optional(),
});

export interface CheckRunRerequest {
  name: string;
  headSha: string;
  /** The run's GraphQL node id, when the payload carries it. */
  checkRunId: string | null;
  numbers: number[];
  repositoryId: string | null;
}

/** A `check_run` `rerequested` delivery ("Re-run" on the check), or null for any other action or shape. */
export function checkRunRerequest(payload: unknown): CheckRunRerequest | null {
  const parsed = checkRunEvent.safeParse(payload);
  if (!parsed.success || parsed.data.action !== 'rerequested') return null;
  const run = parsed.data.check_run;
  return {
    name: run.name,
    headSha: run.head_sha,
    checkRunId: run.node_id ?? null,
    numbers: [...new Set(run.pull_requests.map((p) => p.number))],
    repositoryId: parsed.data.repository?.node_id ?? null,
  };
}
