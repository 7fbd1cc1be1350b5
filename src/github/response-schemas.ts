/**
 * zod shapes of the GraphQL responses to grasp's queries (src/github/queries). GitHub's answers are
 * input like any other: parsed, never trusted. Fields that GitHub nulls on partial errors are nullable.
 */
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';

export const actorSchema = z.object({ __typename: z.string(), login: z.string() }).nullable();
const commitRef = z.object({ oid: z.string() }).nullable();
const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const databaseId = z.union([z.string(), z.number()]).nullable();

export const rateLimitSchema = z.object({ remaining: z.number(), resetAt: z.string(), cost: z.number(), limit: z.number() }).nullable();

export const reviewCommentSchema = z.object({
  id: z.string(),
  fullDatabaseId: databaseId,
  author: actorSchema,
  path: z.string(),
  startLine: z.number().int().nullable(),
  line: z.number().int().nullable(),
  commit: commitRef,
  originalStartLine: z.number().int().nullable(),
  originalLine: z.number().int().nullable(),
  originalCommit: commitRef,
  body: z.string(),
  createdAt: z.string(),
});

export const reviewCommentConnection = z.object({
  totalCount: z.number().optional(),
  pageInfo,
  nodes: z.array(reviewCommentSchema.nullable()).nullable(),
});

export const reviewSchema = z.object({
  id: z.string(),
  fullDatabaseId: databaseId,
  author: actorSchema,
  state: z.string(),
  submittedAt: z.string().nullable(),
  body: z.string(),
  commit: commitRef,
  comments: reviewCommentConnection.nullable(),
});

export const prCommitSchema = z.object({
  commit: z.object({
    oid: z.string(),
    committedDate: z.string(),
    pushedDate: z.string().nullable().optional(),
    authors: z
      .object({
        nodes: z
          .array(z.object({ name: z.string().nullable(), email: z.string().nullable(), user: z.object({ login: z.string() }).nullable() }).nullable())
          .nullable(),
      })
      .nullable(),
  }),
});

export const prFileSchema = z.object({ path: z.string(), viewerViewedState: z.string() });

export const commitConnection = z.object({ totalCount: z.number().optional(), pageInfo, nodes: z.array(prCommitSchema.nullable()).nullable() });
export const fileConnection = z.object({ pageInfo, nodes: z.array(prFileSchema.nullable()).nullable() });
export const reviewConnection = z.object({ pageInfo, nodes: z.array(reviewSchema.nullable()).nullable() });

const requestedReviewer = z
  .object({ __typename: z.string(), login: z.string().optional(), slug: z.string().optional() })
  .nullable();

export const pullRequestSchema = z.object({
  id: z.string(),
  number: z.number().int().positive(),
  title: z.string(),
  state: z.string(),
  author: actorSchema,
  headRefName: z.string(),
  baseRefName: z.string(),
  headRefOid: z.string(),
  baseRefOid: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  mergedAt: z.string().nullable(),
  mergeCommit: commitRef,
  additions: z.number().int(),
  deletions: z.number().int(),
  lastForcePush: z
    .object({ nodes: z.array(z.object({ __typename: z.string(), createdAt: z.string().optional() }).nullable()).nullable() })
    .nullable(),
  commits: commitConnection,
  files: fileConnection.nullable(),
  reviewRequests: z.object({ nodes: z.array(z.object({ requestedReviewer }).nullable()).nullable() }).nullable(),
  reviews: reviewConnection.nullable(),
});

export type GqlPullRequest = z.infer<typeof pullRequestSchema>;
export type GqlReview = z.infer<typeof reviewSchema>;
export type GqlReviewComment = z.infer<typeof reviewCommentSchema>;
export type GqlPrCommit = z.infer<typeof prCommitSchema>;

export const pullRequestsPageSchema = z.object({
  viewer: z.object({ login: z.string() }).nullable(),
  repository: z
    .object({
      pullRequests: z.object({ pageInfo, nodes: z.array(z.unknown()).nullable() }),
    })
    .nullable(),
  rateLimit: rateLimitSchema.optional(),
});

const inPullRequest = <T extends z.ZodType>(field: string, connection: T) =>
  z.object({
    repository: z.object({ pullRequest: z.object({ [field]: connection.nullable() }).nullable() }).nullable(),
  });

export const commitsPageSchema = inPullRequest('commits', commitConnection);
export const filesPageSchema = inPullRequest('files', fileConnection);
export const reviewsPageSchema = inPullRequest('reviews', z.object({ pageInfo, nodes: z.array(z.unknown()).nullable() }));
export const reviewCommentsPageSchema = z.object({
  node: z.object({ __typename: z.string(), comments: reviewCommentConnection.nullable().optional() }).nullable(),
});

/** Parses a GitHub response part or fails with a GraspError naming what was unexpected. */
export function parseGithub<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new GraspError('github-failed', `unexpected GitHub response for ${what}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
