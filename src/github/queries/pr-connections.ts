/** Follow-up pages of a pull request's nested connections, when the first page was not all. */
import { COMMIT_FRAGMENT, FILE_FRAGMENT, PAGE_INFO, RATE_LIMIT_FIELDS, REVIEW_COMMENT_FRAGMENT, REVIEW_FRAGMENT } from './fragments.ts';

export const PR_COMMITS_PAGE_QUERY = /* GraphQL */ `
  query PullRequestCommitsPage($owner: String!, $name: String!, $number: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        commits(first: 100, after: $after) {
          ${PAGE_INFO}
          nodes { ...GraspPrCommit }
        }
      }
    }
    ${RATE_LIMIT_FIELDS}
  }
  ${COMMIT_FRAGMENT}
`;

export const PR_FILES_PAGE_QUERY = /* GraphQL */ `
  query PullRequestFilesPage($owner: String!, $name: String!, $number: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        files(first: 100, after: $after) {
          ${PAGE_INFO}
          nodes { ...GraspPrFile }
        }
      }
    }
    ${RATE_LIMIT_FIELDS}
  }
  ${FILE_FRAGMENT}
`;

export const PR_REVIEWS_PAGE_QUERY = /* GraphQL */ `
  query PullRequestReviewsPage($owner: String!, $name: String!, $number: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        reviews(first: 50, after: $after) {
          ${PAGE_INFO}
          nodes { ...GraspReview }
        }
      }
    }
    ${RATE_LIMIT_FIELDS}
  }
  ${REVIEW_FRAGMENT}
`;

/** Review comments beyond the first 100 of one review, by the review's node id. */
export const REVIEW_COMMENTS_PAGE_QUERY = /* GraphQL */ `
  query ReviewCommentsPage($id: ID!, $after: String) {
    node(id: $id) {
      __typename
      ... on PullRequestReview {
        comments(first: 100, after: $after) {
          ${PAGE_INFO}
          nodes { ...GraspReviewComment }
        }
      }
    }
    ${RATE_LIMIT_FIELDS}
  }
  ${REVIEW_COMMENT_FRAGMENT}
`;
