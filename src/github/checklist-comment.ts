/**
 * grasp keeps one checklist comment per pull request and edits it in place. The comment is found
 * by its first line, the `<!-- grasp:checklist -->` marker, and by its author, the token's own
 * user: a commit message or another person quoting the marker can never hijack it.
 */
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';
import type { GithubClient, GraphqlResult } from './client.ts';
import { ADD_CHECKLIST_COMMENT_MUTATION, CHECKLIST_TARGET_QUERY, UPDATE_CHECKLIST_COMMENT_MUTATION } from './queries/checklist-comment.ts';
import { parseGithub } from './response-schemas.ts';

export const CHECKLIST_MARKER = '<!-- grasp:checklist -->';
/** Bounds the search through a very long conversation. */
const MAX_COMMENT_PAGES = 30;
/** GitHub refuses comment bodies over 65536 characters. */
export const MAX_COMMENT_LENGTH = 65_536;

const targetSchema = z.object({
  viewer: z.object({ login: z.string() }),
  repository: z
    .object({
      pullRequest: z
        .object({
          id: z.string(),
          comments: z.object({
            pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
            nodes: z
              .array(z.object({ id: z.string(), body: z.string(), author: z.object({ __typename: z.string(), login: z.string() }).nullable() }).nullable())
              .nullable(),
          }),
        })
        .nullable(),
    })
    .nullable(),
});

const addedSchema = z.object({ addComment: z.object({ commentEdge: z.object({ node: z.object({ id: z.string(), url: z.string() }).nullable() }).nullable() }).nullable() });
const updatedSchema = z.object({ updateIssueComment: z.object({ issueComment: z.object({ id: z.string(), url: z.string() }).nullable() }).nullable() });

/** True when a comment body is grasp's checklist: the marker is its first line. */
export function isChecklistBody(body: string): boolean {
  const firstLine = body.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return firstLine.trim() === CHECKLIST_MARKER;
}

/** Puts the marker on the first line (once), whatever the body began with. */
export function withMarker(body: string): string {
  return isChecklistBody(body) ? body : `${CHECKLIST_MARKER}\n${body}`;
}

export interface PostChecklistInput {
  client: GithubClient;
  owner: string;
  repo: string;
  number: number;
  body: string;
}

export interface PostChecklistResult {
  action: 'created' | 'updated';
  commentId: string;
  url: string;
}

export async function postChecklistComment(input: PostChecklistInput): Promise<PostChecklistResult> {
  const { client, owner, repo, number } = input;
  if (!Number.isInteger(number) || number < 1) throw new GraspError('invalid', `pull request number must be a positive integer, got ${number}`);
  const body = withMarker(input.body);
  if (body.length > MAX_COMMENT_LENGTH) {
    throw new GraspError('too-large', `checklist comment is ${body.length} characters; GitHub accepts at most ${MAX_COMMENT_LENGTH}`);
  }

  let subjectId: string | null = null;
  let existing: string | null = null;
  let after: string | null = null;
  for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
    const res: GraphqlResult<unknown> = await client.request<unknown>(CHECKLIST_TARGET_QUERY, { owner, name: repo, number, after });
    const data: z.infer<typeof targetSchema> = parseGithub(targetSchema, res.data, `pull request #${number} comments`);
    const pr = data.repository?.pullRequest;
    if (!pr) throw new GraspError('not-found', `pull request #${number} not found in ${owner}/${repo} (or not visible to this token)`);
    subjectId = pr.id;
    const viewer = data.viewer.login.toLowerCase();
    const mine = (pr.comments.nodes ?? []).find((c) => c !== null && c.author?.login.toLowerCase() === viewer && isChecklistBody(c.body));
    if (mine) {
      existing = mine.id;
      break;
    }
    if (!pr.comments.pageInfo.hasNextPage || !pr.comments.pageInfo.endCursor) break;
    after = pr.comments.pageInfo.endCursor;
  }

  if (existing) {
    const res = await client.request<unknown>(UPDATE_CHECKLIST_COMMENT_MUTATION, { id: existing, body });
    const c = parseGithub(updatedSchema, res.data, 'updateIssueComment').updateIssueComment?.issueComment;
    if (!c) throw new GraspError('github-failed', `GitHub did not update comment ${existing}: ${res.errors.map((e) => e.message).join('; ')}`);
    return { action: 'updated', commentId: c.id, url: c.url };
  }
  const res = await client.request<unknown>(ADD_CHECKLIST_COMMENT_MUTATION, { subjectId, body });
  const c = parseGithub(addedSchema, res.data, 'addComment').addComment?.commentEdge?.node;
  if (!c) throw new GraspError('github-failed', `GitHub did not add the comment: ${res.errors.map((e) => e.message).join('; ')}`);
  return { action: 'created', commentId: c.id, url: c.url };
}
