/** Finding, creating and updating grasp's one checklist comment on a pull request. */
import { PAGE_INFO } from './fragments.ts';

export const CHECKLIST_TARGET_QUERY = /* GraphQL */ `
  query ChecklistTarget($owner: String!, $name: String!, $number: Int!, $after: String) {
    viewer { login }
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        id
        comments(first: 100, after: $after) {
          ${PAGE_INFO}
          nodes { id body author { __typename login } }
        }
      }
    }
  }
`;

export const ADD_CHECKLIST_COMMENT_MUTATION = /* GraphQL */ `
  mutation AddChecklistComment($subjectId: ID!, $body: String!) {
    addComment(input: { subjectId: $subjectId, body: $body }) {
      commentEdge { node { id url } }
    }
  }
`;

export const UPDATE_CHECKLIST_COMMENT_MUTATION = /* GraphQL */ `
  mutation UpdateChecklistComment($id: ID!, $body: String!) {
    updateIssueComment(input: { id: $id, body: $body }) {
      issueComment { id url }
    }
  }
`;
