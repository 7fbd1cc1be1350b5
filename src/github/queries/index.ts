/** Every GraphQL document grasp sends, by operation name (the schema test validates each one). */
import { CHECK_RUNS_QUERY, CREATE_CHECK_RUN_MUTATION, UPDATE_CHECK_RUN_MUTATION } from './check-run.ts';
import { ADD_CHECKLIST_COMMENT_MUTATION, CHECKLIST_TARGET_QUERY, UPDATE_CHECKLIST_COMMENT_MUTATION } from './checklist-comment.ts';
import { PR_COMMITS_PAGE_QUERY, PR_FILES_PAGE_QUERY, PR_REVIEWS_PAGE_QUERY, REVIEW_COMMENTS_PAGE_QUERY } from './pr-connections.ts';
import { PULL_REQUESTS_PAGE_QUERY } from './pull-requests.ts';

export const ALL_DOCUMENTS: Record<string, string> = {
  PullRequestsPage: PULL_REQUESTS_PAGE_QUERY,
  PullRequestCommitsPage: PR_COMMITS_PAGE_QUERY,
  PullRequestFilesPage: PR_FILES_PAGE_QUERY,
  PullRequestReviewsPage: PR_REVIEWS_PAGE_QUERY,
  ReviewCommentsPage: REVIEW_COMMENTS_PAGE_QUERY,
  ChecklistTarget: CHECKLIST_TARGET_QUERY,
  AddChecklistComment: ADD_CHECKLIST_COMMENT_MUTATION,
  UpdateChecklistComment: UPDATE_CHECKLIST_COMMENT_MUTATION,
  GraspCheckRuns: CHECK_RUNS_QUERY,
  CreateGraspCheckRun: CREATE_CHECK_RUN_MUTATION,
  UpdateGraspCheckRun: UPDATE_CHECK_RUN_MUTATION,
};
