/**
 * GraphQL fragments shared by the pull request queries. Every abstract type (Actor, the
 * RequestedReviewer union, timeline items) asks for `__typename` so responses say what they hold.
 */

export const RATE_LIMIT_FIELDS = /* GraphQL */ `
  rateLimit { remaining resetAt cost limit }
`;

export const PAGE_INFO = /* GraphQL */ `pageInfo { hasNextPage endCursor }`;

export const COMMIT_FRAGMENT = /* GraphQL */ `
  fragment GraspPrCommit on PullRequestCommit {
    commit {
      oid
      committedDate
      pushedDate
      authors(first: 10) { nodes { name email user { login } } }
    }
  }
`;

export const REVIEW_COMMENT_FRAGMENT = /* GraphQL */ `
  fragment GraspReviewComment on PullRequestReviewComment {
    id
    fullDatabaseId
    author { __typename login }
    path
    startLine
    line
    commit { oid }
    originalStartLine
    originalLine
    originalCommit { oid }
    body
    createdAt
  }
`;

export const REVIEW_FRAGMENT = /* GraphQL */ `
  fragment GraspReview on PullRequestReview {
    id
    fullDatabaseId
    author { __typename login }
    state
    submittedAt
    body
    commit { oid }
    comments(first: 100) {
      totalCount
      ${PAGE_INFO}
      nodes { ...GraspReviewComment }
    }
  }
  ${REVIEW_COMMENT_FRAGMENT}
`;

export const FILE_FRAGMENT = /* GraphQL */ `
  fragment GraspPrFile on PullRequestChangedFile {
    path
    viewerViewedState
  }
`;

/**
 * One pull request with the first page of each nested connection; `sync` pages through the rest.
 * `viewerViewedState` is the token owner's own "Viewed" checkbox: GitHub exposes no one else's.
 */
export const PULL_REQUEST_FRAGMENT = /* GraphQL */ `
  fragment GraspPullRequest on PullRequest {
    id
    number
    title
    state
    author { __typename login }
    headRefName
    baseRefName
    headRefOid
    baseRefOid
    createdAt
    updatedAt
    mergedAt
    mergeCommit { oid }
    additions
    deletions
    lastForcePush: timelineItems(last: 1, itemTypes: [HEAD_REF_FORCE_PUSHED_EVENT]) {
      nodes { __typename ... on HeadRefForcePushedEvent { createdAt } }
    }
    commits(first: 100) {
      totalCount
      ${PAGE_INFO}
      nodes { ...GraspPrCommit }
    }
    files(first: 100) {
      ${PAGE_INFO}
      nodes { ...GraspPrFile }
    }
    reviewRequests(first: 50) {
      nodes {
        requestedReviewer {
          __typename
          ... on User { login }
          ... on Bot { login }
          ... on Mannequin { login }
          ... on Team { slug }
        }
      }
    }
    reviews(first: 50) {
      ${PAGE_INFO}
      nodes { ...GraspReview }
    }
  }
  ${COMMIT_FRAGMENT}
  ${FILE_FRAGMENT}
  ${REVIEW_FRAGMENT}
`;
