/** Pull requests of one repository, most recently updated first (sync stops at its cursor). */
import { PAGE_INFO, PULL_REQUEST_FRAGMENT, RATE_LIMIT_FIELDS } from './fragments.ts';

export const PULL_REQUESTS_PAGE_QUERY = /* GraphQL */ `
  query PullRequestsPage($owner: String!, $name: String!, $first: Int!, $after: String) {
    viewer { login }
    repository(owner: $owner, name: $name) {
      pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
        ${PAGE_INFO}
        nodes { ...GraspPullRequest }
      }
    }
    ${RATE_LIMIT_FIELDS}
  }
  ${PULL_REQUEST_FRAGMENT}
`;
