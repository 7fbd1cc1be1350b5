/**
 * Pull request shapes shared by the GitHub sources (GraphQL sync and webhooks, which produce them)
 * and the database layer (which stores them). Plain data, no I/O; field names follow the tables.
 */
export interface PullRequestRow {
  number: number;
  title: string;
  authorLogin?: string | null;
  state: string;
  headRef?: string | null;
  baseRef?: string | null;
  headSha?: string | null;
  baseSha?: string | null;
  createdAt: number;
  updatedAt: number;
  mergedAt?: number | null;
  mergeSha?: string | null;
  lastPushAt?: number | null;
  additions?: number;
  deletions?: number;
  commentId?: string | null;
}

export interface PrCommitRow {
  number: number;
  sha: string;
  /** JSON [{name,email,login}], git author first. */
  coAuthors?: string;
  pushedAt?: number | null;
}

export interface PrFileRow {
  number: number;
  path: string;
  viewerViewedState?: string | null;
}

export interface PrReviewRequestRow {
  number: number;
  login: string;
}

export interface ReviewRow {
  id: string;
  number: number;
  authorLogin?: string | null;
  state: string;
  submittedAt?: number | null;
  body?: string;
  commitSha?: string | null;
  rubberStamp?: boolean;
  rubberStampReason?: string | null;
}

export interface ReviewCommentRow {
  id: string;
  reviewId: string;
  number: number;
  authorLogin?: string | null;
  path: string;
  startLine?: number | null;
  line?: number | null;
  commitSha?: string | null;
  originalStartLine?: number | null;
  originalLine?: number | null;
  originalCommitSha?: string | null;
  body?: string;
  createdAt?: number | null;
}

/** Only the fields a source knows; the rest of a stored row is left as it is. */
export type PullRequestPatch = { number: number } & Partial<Omit<PullRequestRow, 'number' | 'commentId'>>;

/**
 * What one source says about one pull request. Rows in the lists are upserted; stored rows are
 * removed only when `replace` says the list is the complete current set (a force push drops
 * commits, a reviewer is un-requested). Reviews and comments are never removed by omission.
 */
export interface PrSnapshot {
  number: number;
  pr: PullRequestPatch;
  commits?: PrCommitRow[];
  files?: PrFileRow[];
  reviewRequests?: PrReviewRequestRow[];
  reviews?: ReviewRow[];
  reviewComments?: ReviewCommentRow[];
  deletedReviewCommentIds?: string[];
  replace?: { commits?: boolean; files?: boolean; reviewRequests?: boolean };
}
