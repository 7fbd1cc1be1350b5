/** Finding, creating and updating grasp's check run (`grasp / understanding`) on a PR's head commit. */

export const CHECK_RUNS_QUERY = /* GraphQL */ `
  query GraspCheckRuns($owner: String!, $name: String!, $oid: GitObjectID!, $checkName: String!) {
    repository(owner: $owner, name: $name) {
      object(oid: $oid) {
        __typename
        ... on Commit {
          checkSuites(first: 50) {
            nodes { checkRuns(first: 1, filterBy: { checkName: $checkName }) { nodes { id } } }
          }
        }
      }
    }
  }
`;

export const CREATE_CHECK_RUN_MUTATION = /* GraphQL */ `
  mutation CreateGraspCheckRun($input: CreateCheckRunInput!) {
    createCheckRun(input: $input) { checkRun { id url } }
  }
`;

export const UPDATE_CHECK_RUN_MUTATION = /* GraphQL */ `
  mutation UpdateGraspCheckRun($input: UpdateCheckRunInput!) {
    updateCheckRun(input: $input) { checkRun { id url } }
  }
`;
